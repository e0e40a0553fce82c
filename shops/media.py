"""Serving uploaded photos from the upload folder, with a fixed safe content type."""

from __future__ import annotations

import re

from flask import Blueprint, abort, current_app, send_from_directory

bp = Blueprint("media", __name__)

_NAME = re.compile(r"^(shops|products)/[0-9a-f]{32}(-thumb)?\.jpg$")


@bp.get("/media/<path:filename>")
def photo(filename: str):
    """Send a stored photo; anything that is not one of our file names is a 404."""
    if not _NAME.match(filename):
        abort(404)
    response = send_from_directory(
        current_app.config["UPLOAD_DIR"], filename, mimetype="image/jpeg", max_age=86400 * 30
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
