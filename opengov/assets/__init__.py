"""Files shipped with the package (fonts for PDF output)."""

from pathlib import Path

FONTS = Path(__file__).resolve().parent / "fonts"
FONT_REGULAR = FONTS / "DejaVuSans.ttf"
FONT_BOLD = FONTS / "DejaVuSans-Bold.ttf"
