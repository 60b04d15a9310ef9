"""Officer mapping: organisation directory, gap matrix, ward map, drill-downs (issue 5)."""
