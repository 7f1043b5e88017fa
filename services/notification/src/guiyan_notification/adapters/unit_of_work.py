from guiyan_eventing.unit_of_work import SqlUnitOfWork


class NotificationUnitOfWork(SqlUnitOfWork):
    """notification's tables are few and simple: handlers use the session directly."""
