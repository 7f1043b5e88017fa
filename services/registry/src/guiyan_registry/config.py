from guiyan_eventing.settings import ServiceSettings


class RegistrySettings(ServiceSettings):
    database_url: str = "sqlite:///var/registry.db"
