"""The photo job: decode a received photo reduced, write its display sizes, then show it."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from marketplace import stored_files
from marketplace.extensions import db
from marketplace.jobs import job
from shops import images
from shops.photo_models import FAILED, PhotoUpload
from shops.photo_uploads import APPLIERS, FOLDERS, drop_upload


# Retried for what is not the photo's fault (a database error); a photo we cannot read, or a
# full disk, fails at once and the shopkeeper sees why next to the photo field.
@job(retries=3)
def prepare_photo(upload_id: int) -> None:
    """Write the display and thumbnail sizes of an upload and name them where they belong."""
    upload = db.session.get(PhotoUpload, upload_id)
    if upload is None or upload.failed:
        return  # replaced by a newer upload, or settled by an earlier run
    upload_dir = current_app.config["UPLOAD_DIR"]
    original = Path(upload_dir) / upload.original
    folder = FOLDERS[upload.target]
    db.session.commit()  # hold no transaction while decoding
    try:
        stored = images.process_upload(original, upload_dir, folder)
    except FileNotFoundError:
        return  # replaced meanwhile: the newer upload's job does the work
    except images.InvalidImage as refused:
        _fail(upload_id, refused.code, original)
        return
    stored_files.keep_if_committed(*images.photo_files(upload_dir, stored))
    # Read again under a lock: a newer upload may have replaced this one while we decoded.
    upload = db.session.get(PhotoUpload, upload_id, with_for_update=True, populate_existing=True)
    if upload is None or upload.failed:  # replaced, or given up by the daily sweep
        db.session.rollback()  # the sizes just written go with it
        return
    if not APPLIERS[upload.target](upload.target_id, stored, upload.alt, upload_dir):
        db.session.rollback()  # what it was for was deleted meanwhile
        upload = db.session.get(PhotoUpload, upload_id)
        if upload is not None:
            drop_upload(upload, upload_dir)
        db.session.commit()
        return
    db.session.delete(upload)
    stored_files.remove_after_commit(original)
    db.session.commit()


def _fail(upload_id: int, code: str, original: Path) -> None:
    upload = db.session.get(PhotoUpload, upload_id)
    if upload is None:
        return
    upload.status, upload.error = FAILED, code
    stored_files.remove_after_commit(original)
    db.session.commit()
