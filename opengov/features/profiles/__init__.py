"""One government on one screen: the profile of a jurisdiction (Canada, a province or territory, a
municipality or region with a portal), built from the other features' queries."""
