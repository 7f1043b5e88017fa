"""`make run`: the whole system on embedded defaults, with the demo city loaded. Ctrl-C stops it."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from guiyan_eventing.files import write_private
from guiyan_portal.config import DEV_SECRET

from . import demo
from .stack import Stack, StackConfig
from .supervisor import Supervisor


def config_from_environment() -> StackConfig:
    var_dir = Path(os.environ.get("GUIYAN_VAR", "var")).resolve()
    return StackConfig(
        var_dir=var_dir,
        portal_port=int(os.environ.get("PORTAL_PORT", "8000")),
        nats_url=os.environ.get("NATS_URL") or None,
        auth_secret=os.environ.get("AUTH_SECRET", DEV_SECRET),
        database_urls={s: url for s in ("registry", "matching", "notification")
                       if (url := os.environ.get(f"{s.upper()}_DATABASE_URL"))},
    )


def write_tokens(var_dir: Path, issued: dict[str, object]) -> Path:
    tokens_file = var_dir / "demo-tokens.json"
    write_private(tokens_file, json.dumps(issued, ensure_ascii=False, indent=2))
    return tokens_file


def load_demo() -> None:
    """`guiyan-demo PORTAL_URL`: load the demo city into a running system (docker compose)."""
    config = config_from_environment()
    portal_url = sys.argv[1] if len(sys.argv) > 1 else f"http://127.0.0.1:{config.portal_port}"
    accounts = demo.accounts_in(config.var_dir)
    tokens_file = write_tokens(config.var_dir, demo.load(portal_url, config.auth_secret,
                                                         accounts=accounts))
    print(f"demo city loaded; sign-in accounts in {config.var_dir / 'demo-accounts.json'}, "
          f"bearer tokens in {tokens_file}")


def print_scenario() -> None:
    """`guiyan-demo-scenario [PROJECTS]`: print the demo city as a guiyan-scenario/1 document."""
    projects = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    print(json.dumps(demo.scenario(projects), ensure_ascii=False, indent=1))


def main() -> None:
    config = config_from_environment()
    stack = Stack(config)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        print("starting nats-server and the four services …", flush=True)
        stack.start()
        accounts = demo.accounts_in(config.var_dir)
        tokens_file = write_tokens(config.var_dir, demo.load(stack.portal_url, config.auth_secret,
                                                             accounts=accounts))
        first_park = demo.PARKS[0]["id"]
        print(f"""
Guiyan 归雁 is running.
  portal     {stack.portal_url}   (API docs: {stack.portal_url}/docs)
  NATS       {stack.nats_url}
  data, logs {config.var_dir}
Demo accounts: sign in at {stack.portal_url} (username / password; all of them in
{config.var_dir / 'demo-accounts.json'}, bearer tokens in {tokens_file}):
  admin      {accounts['admin']['username']} / {accounts['admin']['password']}
  staff      {accounts['staff']['username']} / {accounts['staff']['password']}   (submits projects)
  leader     {accounts['leader']['username']} / {accounts['leader']['password']}   (reads the dashboard)
  station    {accounts['station']['username']} / {accounts['station']['password']}   (拉萨站's head: its people only)
  manager    {accounts['managers'][first_park]['username']} / \
{accounts['managers'][first_park]['password']}   (one per park: mgr-<park id>)
Press Ctrl-C to stop.""", flush=True)
        Supervisor(stack).watch()
    except KeyboardInterrupt:
        pass
    finally:
        print("stopping …", flush=True)
        stack.stop()


if __name__ == "__main__":
    main()
