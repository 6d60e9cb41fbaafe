"""Events across articles: incidents of different articles that report the same event."""
