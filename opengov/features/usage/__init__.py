"""Portal usage: visits and downloads of the portals."""
