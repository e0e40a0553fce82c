"""A collection's picture kept while its form is refused, so the curator need not send it again.

The picture is received as usual (header checked, original kept under incoming/) and recorded
as a PhotoUpload held for the curator who sent it; the form carries its number. Saving the
collection hands it over (target and id change) and only then does the job prepare it. A held
picture never saved is failed by the daily sweep of stuck uploads, which removes its file.
"""

from __future__ import annotations

from typing import BinaryIO

from marketplace.curation.collections import set_collection_photo
from marketplace.curation.models import Collection
from marketplace.db import utcnow
from marketplace.extensions import db
from shops import photo_uploads
from shops.photo_models import COLLECTION_PHOTO, PhotoUpload

HELD_COLLECTION_PHOTO = "collection_held"  # target_id: the curator who sent it


def hold_photo(stream: BinaryIO, curator_id: int, upload_dir: str, max_bytes: int) -> PhotoUpload:
    """Keep a picture sent with a refused form (raises images.InvalidImage); replaces older ones."""
    return photo_uploads.receive_photo(
        HELD_COLLECTION_PHOTO, curator_id, stream, "", upload_dir, max_bytes, curator_id
    )


def held_photo(upload_id: int | None, curator_id: int) -> PhotoUpload | None:
    """The picture held for this curator under this number, if it is still there."""
    upload = db.session.get(PhotoUpload, upload_id) if upload_id is not None else None
    if (
        upload is None
        or upload.target != HELD_COLLECTION_PHOTO
        or upload.target_id != curator_id
        or upload.failed
    ):
        return None
    return upload


def give_held_photo(upload: PhotoUpload, collection_id: int, alt: str, upload_dir: str) -> None:
    """Make a held picture the collection's next one; the caller then queues its job."""
    for earlier in photo_uploads.uploads_for(COLLECTION_PHOTO, collection_id):
        photo_uploads.drop_upload(earlier, upload_dir)
    upload.target, upload.target_id, upload.alt = COLLECTION_PHOTO, collection_id, alt
    upload.created_at = utcnow()  # the sweep of stuck uploads counts from the hand-over


def forget_held_photo(upload: PhotoUpload, upload_dir: str) -> None:
    """Drop a held picture the curator no longer wants (its file goes at commit)."""
    photo_uploads.drop_upload(upload, upload_dir)


def settle_collection_photo(
    collection: Collection,
    stream: BinaryIO | None,
    held: PhotoUpload | None,
    refuse_held: bool,
    upload_dir: str,
    max_bytes: int,
    curator_id: int,
) -> PhotoUpload | None:
    """The saved collection's next picture: a new file, else the kept one (unless refused).

    Returns the upload the job must prepare once committed (None when there is none); raises
    images.InvalidImage for a new file that is not a picture.
    """
    if stream is not None:
        photo = set_collection_photo(collection, stream, upload_dir, max_bytes, curator_id)
        if held is not None:  # a newer file replaces the one kept
            forget_held_photo(held, upload_dir)
        return photo
    if held is None:
        return None
    if refuse_held:
        forget_held_photo(held, upload_dir)
        return None
    give_held_photo(held, collection.id, collection.photo_alt or "", upload_dir)
    return held
