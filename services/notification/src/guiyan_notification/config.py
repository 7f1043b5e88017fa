from guiyan_eventing.settings import ServiceSettings


class NotificationSettings(ServiceSettings):
    database_url: str = "sqlite:///var/notification.db"
    smtp_host: str | None = None  # email is sent only when configured
    smtp_port: int = 25
    smtp_from: str = "guiyan@localhost"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    email_max_attempts: int = 5
    email_retry_seconds: tuple[float, ...] = (5, 30, 120, 600)
