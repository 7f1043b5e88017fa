from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_SECRET = "guiyan-dev-secret-change-me-before-production"


class PortalSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    nats_url: str = "nats://127.0.0.1:4222"
    portal_host: str = "127.0.0.1"
    portal_port: int = 8000
    # Signs bearer tokens. Set AUTH_SECRET in any real deployment.
    auth_secret: str = DEV_SECRET
    request_timeout_seconds: float = 5.0
    # A what-if solves the city twice, maybe after a plan already solving: allow for both.
    preview_timeout_seconds: float = 30.0
    health_timeout_seconds: float = 2.0
