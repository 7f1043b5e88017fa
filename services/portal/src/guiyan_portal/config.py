from __future__ import annotations

import ipaddress

from pydantic import SecretStr
from pydantic_settings import SettingsConfigDict

from guiyan_eventing.bus import BusSettings
from guiyan_eventing.logs import LogSettings

DEV_SECRET = "guiyan-dev-secret-change-me-before-production"
MIN_SECRET_BYTES = 32


class InsecureSettings(ValueError):
    """The portal will not start so: anyone could mint tokens, or read a huge body."""


class PortalSettings(BusSettings, LogSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore")

    portal_host: str = "127.0.0.1"
    portal_port: int = 8000
    # Signs bearer tokens: at least 32 bytes. The development secret is taken only on loopback.
    # A SecretStr, so that printing or dumping the settings shows it as asterisks.
    auth_secret: SecretStr = SecretStr(DEV_SECRET)
    request_timeout_seconds: float = 5.0
    # A what-if solves the city twice, maybe after a plan already solving: allow for both.
    preview_timeout_seconds: float = 30.0
    health_timeout_seconds: float = 2.0
    # Registry checks and writes a whole ledger in one transaction: 5,000 rows take seconds.
    ledger_timeout_seconds: float = 120.0
    # Bodies over this are refused before they are read whole.
    max_body_bytes: int = 1024 * 1024
    # An uploaded ledger (台账) may be this large: 5,000 rows of .csv are about 1 MB.
    max_ledger_bytes: int = 20 * 1024 * 1024
    # A signed-in browser's session lasts this long from sign-in (12 hours).
    session_max_age_seconds: int = 12 * 3600
    # Behind a reverse proxy that terminates TLS, its `X-Forwarded-Proto` and `X-Forwarded-For`
    # say whether the browser came over https (the cookie is then `Secure`) and from where
    # (sign-in failures are counted per address). Unset, those headers are anyone's to forge.
    behind_proxy: bool = False
    # Failed sign-ins allowed per username, and per client address, within the window.
    login_failures_per_username: int = 5
    login_failures_per_address: int = 20
    login_failure_window_seconds: int = 300

    def refuse_insecure(self) -> None:
        """Raise `InsecureSettings` for a secret anyone could guess, or a limit that is none."""
        secret = self.auth_secret.get_secret_value()
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise InsecureSettings(f"AUTH_SECRET must be at least {MIN_SECRET_BYTES} bytes; "
                                   "e.g. `openssl rand -hex 32`")
        if secret == DEV_SECRET and not is_loopback(self.portal_host):
            raise InsecureSettings(f"AUTH_SECRET is the development secret, which is public: it "
                                   f"is taken only on a loopback address, not {self.portal_host}")
        if self.max_body_bytes <= 0:
            raise InsecureSettings("MAX_BODY_BYTES must be above zero")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name: it may resolve anywhere
        return False
