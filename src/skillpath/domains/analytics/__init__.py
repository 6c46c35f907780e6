"""Analytics: read-only figures across domains (home pages now; metrics and ROI later)."""
