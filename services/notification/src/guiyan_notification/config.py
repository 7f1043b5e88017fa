from guiyan_eventing.settings import ServiceSettings


class NotificationSettings(ServiceSettings):
    database_url: str = "sqlite:///var/notification.db"
    # The portal's address as its users reach it: every message links to the page where its
    # reader acts.
    portal_url: str = "http://127.0.0.1:8000"
    smtp_host: str | None = None  # email is sent only when configured
    smtp_port: int = 25
    smtp_from: str = "guiyan@localhost"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout_seconds: float = 15
    # STARTTLS verifies the server's certificate; a relay signed by a private CA names it here.
    smtp_ca_file: str | None = None
    # Proposals offered to one reader within this window go out as one message per channel
    # (the inbox shows each at once); 0 sends each alone.
    digest_seconds: float = 60
    # A failed delivery is tried again after about base·2^(n−1) seconds (±50%, at most the cap)
    # until it has had this many attempts; a permanent refusal is not tried again.
    delivery_max_attempts: int = 6
    retry_base_seconds: float = 5
    retry_cap_seconds: float = 900
    channel_timeout_seconds: float = 10  # a receiver that does not answer by then has failed
    robot_messages_per_minute: int = 20  # what DingTalk and WeCom allow a robot
    # This many failed attempts in a row on a channel tell the city's admins, once per run.
    channel_failing_after: int = 5
    delivery_batch: int = 50
    # Channels may send to plain http and to private, loopback and link-local addresses: for an
    # intranet receiver, and for tests' local ones. Off, a channel's address is public https.
    channel_private_addresses: bool = False
