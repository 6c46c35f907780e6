"""Pure metric engines of ROI and impact analytics (docs/analytics.md)."""
