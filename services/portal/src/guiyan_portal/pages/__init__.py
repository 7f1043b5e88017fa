"""The web pages: server-rendered HTML over the same services the JSON API asks, in the
reader's language, with every asset served by the portal itself."""
