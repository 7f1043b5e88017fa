"""Real local receivers for tests: DingTalk and WeCom robots, a webhook receiver and SMTP."""
