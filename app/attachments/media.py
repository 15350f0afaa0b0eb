"""What a file is, read from its content, and the copy of it that is kept.

Images are decoded and encoded again: orientation applied, then every piece of metadata dropped (EXIF with its GPS
position and camera, XMP, comments), which also drops anything hidden after the picture. Their size in pixels is
read from the header and checked before any pixel is decoded. PDFs are kept byte for byte (the scan of a signed
form is the record); whether they carry scripts is noted, and they are never shown in the page.
"""
from __future__ import annotations

import hashlib
import io
import re
import warnings
from dataclasses import dataclass

import pillow_heif
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

pillow_heif.register_heif_opener()

THUMBNAIL_SIZE = (320, 320)
JPEG_QUALITY = 90
THUMBNAIL_QUALITY = 80
# The brands of an ISO base media file that are HEIF pictures (phones' "HEIC" photos).
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
# PDF names that run something when the file is opened or clicked: scripts, programs, XFA forms (their scripts).
SCRIPT_NAMES = {"JavaScript", "JS", "Launch", "RichMedia", "XFA"}
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}


class Unusable(ValueError):
    """A file that is not kept; `message` says why, to the person who sent it."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Prepared:
    """What is stored of a file received."""

    media_type: str
    data: bytes
    thumbnail: bytes | None
    original_sha256: str
    stored_sha256: str
    pdf_has_script: bool = False


def sniff(head: bytes) -> str | None:
    """The type the first bytes say, whatever the file is called: image/jpeg, image/png, image/heic,
    application/pdf, or None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "image/heic"
    return None


def prepare(data: bytes, max_pixels: int) -> Prepared:
    """The copy of `data` to store, or Unusable."""
    media_type = sniff(data[:32])
    if media_type is None:
        raise Unusable(_l("Only photos (JPEG, PNG, HEIC) and PDF files can be attached; this file is of another "
                          "kind. Nothing was saved."))
    original_sha256 = sha256(data)
    if media_type == "application/pdf":
        return Prepared(media_type, data, None, original_sha256, original_sha256, pdf_has_script(data))
    stored_type, stored, thumbnail = _image(data, media_type, max_pixels)
    return Prepared(stored_type, stored, thumbnail, original_sha256, sha256(stored))


_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/heic": "HEIF"}
_DAMAGED_PHOTO = _l("The photo could not be read: it is damaged or incomplete. Nothing was saved.")


def _image(data: bytes, media_type: str, max_pixels: int) -> tuple[str, bytes, bytes]:
    with warnings.catch_warnings():
        # Pillow's own bomb check warns below twice its limit; ours is stricter and refuses.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[media_type]])
            width, height = image.size
            if width * height > max_pixels:
                raise _too_many_pixels(max_pixels)
            image.load()
            # In place: a 50-million-pixel photo is not held twice.
            ImageOps.exif_transpose(image, in_place=True)
        except Image.DecompressionBombError:
            raise _too_many_pixels(max_pixels) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
            if isinstance(error, Unusable):
                raise
            raise Unusable(_DAMAGED_PHOTO) from None
    stored_type = "image/png" if media_type == "image/png" else "image/jpeg"
    stored = _encode(image, stored_type, image.info.get("icc_profile"))
    return stored_type, stored, _thumbnail(image)


def _too_many_pixels(max_pixels: int) -> Unusable:
    return Unusable(_l("The photo has too many pixels: at most %(limit)d million are accepted. Nothing was saved.",
                       limit=max_pixels // 1_000_000))


def _encode(image: Image.Image, media_type: str, icc_profile: bytes | None) -> bytes:
    """The picture alone: the colour profile is kept (colours depend on it), every other piece of metadata goes."""
    out = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if media_type == "image/png":
        if "transparency" in image.info:
            options["transparency"] = image.info["transparency"]
        image.info = {}
        image.save(out, "PNG", optimize=False, **options)
    else:
        image = _flat(image) if image.mode not in ("L", "RGB", "CMYK") else image
        image.info = {}
        image.save(out, "JPEG", quality=JPEG_QUALITY, **options)
    return out.getvalue()


def _flat(image: Image.Image) -> Image.Image:
    """RGB, any transparency laid on white (JPEG has no transparency)."""
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, "white")
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _thumbnail(image: Image.Image) -> bytes:
    """A small JPEG of the picture, made without copying it at full size."""
    scale = min(THUMBNAIL_SIZE[0] / image.width, THUMBNAIL_SIZE[1] / image.height, 1)
    size = (max(round(image.width * scale), 1), max(round(image.height * scale), 1))
    small = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0) if scale < 1 else image.copy()
    small = _flat(small) if small.mode not in ("L", "RGB") else small
    small.info = {}
    out = io.BytesIO()
    small.save(out, "JPEG", quality=THUMBNAIL_QUALITY)
    return out.getvalue()


def pdf_has_script(data: bytes) -> bool:
    """Whether the PDF names a script or a program to launch, in its plain text or in its compressed object
    streams; Unusable if it cannot be read as a PDF at all."""
    if any(_plain_name(name.group(1)) in SCRIPT_NAMES for name in _PDF_NAME.finditer(data)):
        return True
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Unusable(_l("The PDF is protected by a password and cannot be checked. Save it without the "
                              "password and attach it again. Nothing was saved."))
        if len(reader.pages) == 0:
            raise Unusable(_DAMAGED_PDF)
        # Objects outside object streams were read as plain text above; those inside are compressed.
        return any(_names_script(reader.get_object(IndirectObject(number, 0, reader)))
                   for number in reader.xref_objStm)
    except Unusable:
        raise
    except Exception:  # pypdf's parser raises many kinds of error on a malformed file; each means "unreadable"
        raise Unusable(_DAMAGED_PDF) from None


_DAMAGED_PDF = _l("The PDF could not be read: it is damaged or incomplete. Nothing was saved.")


def _plain_name(raw: bytes) -> str:
    """A PDF name with its #xx escapes resolved (/J#61vaScript is /JavaScript)."""
    return _PDF_NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), raw).decode("latin-1")


def _names_script(value, depth: int = 0) -> bool:
    """Whether `value` (an object, with what it holds directly) names a script."""
    if depth > 32:
        return False
    if isinstance(value, NameObject):
        return value[1:] in SCRIPT_NAMES
    if isinstance(value, DictionaryObject):
        return any(key[1:] in SCRIPT_NAMES or not isinstance(item, IndirectObject) and _names_script(item, depth + 1)
                   for key, item in value.items())
    if isinstance(value, ArrayObject):
        return any(_names_script(item, depth + 1) for item in value if not isinstance(item, IndirectObject))
    return False


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extension_for(media_type: str) -> str:
    return EXTENSIONS[media_type]
