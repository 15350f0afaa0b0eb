"""What is kept of a file: its type read from its content, a photo without its location or camera, upright, and
nothing at all of a file that is not a photo or a PDF (issue 17, points 1 and 2)."""
import hashlib
import io

import pytest

from app.attachments import storage
from app.attachments.services import AttachmentRefused
from tests.factories import (EndlessStream, attach_file, decompression_bomb_png, heic_photo, nothing_stored, pdf,
                             photo, stored_image, zip_bomb)

GPS_IFD, MAKE, MODEL, ORIENTATION = 0x8825, 0x010F, 0x0110, 0x0112


def refusal(case, worker, data, filename="anh.jpg", **details) -> str:
    with pytest.raises(AttachmentRefused) as refused:
        attach_file(case, worker, data, filename=filename, **details)
    return str(refused.value.message)


def test_a_php_script_named_like_a_photo_is_refused_and_nothing_is_stored(store, case, worker):
    message = refusal(case, worker, b"<?php system($_GET['c']); ?>\n", filename="anh-vet-thuong.jpg")
    assert "Only photos (JPEG, PNG, HEIC) and PDF files" in message
    assert nothing_stored()


def test_a_refusal_is_said_in_vietnamese(store, case, worker):
    from flask_babel import force_locale

    with force_locale("vi"):
        message = refusal(case, worker, b"<?php echo 1; ?>", filename="anh.jpg")
    assert message == ("Chỉ đính kèm được ảnh (JPEG, PNG, HEIC) và tệp PDF; tệp này thuộc loại khác. "
                       "Chưa có gì được lưu.")


def test_a_script_behind_a_jpeg_signature_is_refused_as_a_damaged_photo(store, case, worker):
    message = refusal(case, worker, b"\xff\xd8\xff\xe0<?php system($_GET['c']); ?>")
    assert "damaged or incomplete" in message
    assert nothing_stored()


def test_a_zip_bomb_is_refused_unopened(store, case, worker):
    assert "Only photos" in refusal(case, worker, zip_bomb(), filename="anh.jpg")
    assert nothing_stored()


@pytest.mark.parametrize("width, height", [(30_000, 30_000), (8_000, 8_000)])
def test_a_picture_of_too_many_pixels_is_refused_before_it_is_decoded(store, case, worker, width, height):
    """A few hundred kilobytes of PNG that would unpack to 900 MB (beyond Pillow's own guard) or 64 MB (within
    it, beyond ours of 50 million pixels)."""
    bomb = decompression_bomb_png(width, height)
    assert len(bomb) < 2 * 1024 * 1024
    assert "too many pixels: at most 50 million" in refusal(case, worker, bomb, filename="anh.png")
    assert nothing_stored()


@pytest.mark.parametrize("data, filename", [
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "anh.gif"),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "anh.webp"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "anh.jpg"),
    (b"<html><script>alert(1)</script></html>", "anh.png"),
    (b"MZ\x90\x00\x03\x00\x00\x00", "giay-kham.pdf"),
])
def test_other_kinds_of_file_are_refused_whatever_their_name(store, case, worker, data, filename):
    assert "Only photos" in refusal(case, worker, data, filename=filename)
    assert nothing_stored()


def test_a_truncated_jpeg_is_refused(store, case, worker):
    whole = photo()
    assert "damaged or incomplete" in refusal(case, worker, whole[:len(whole) // 2])
    assert nothing_stored()


def test_an_empty_file_is_refused(store, case, worker):
    assert "empty" in refusal(case, worker, b"")
    assert nothing_stored()


def test_a_file_over_the_limit_is_refused_having_read_one_byte_past_it(store, case, worker, app):
    limit = app.config["ATTACHMENT_MAX_BYTES"]
    body = EndlessStream(head=photo())
    with pytest.raises(AttachmentRefused) as refused:
        attach_file(case, worker, filename="anh.jpg", stream=body)
    assert refused.value.status == 413
    assert "larger than 20 MB" in str(refused.value.message)
    assert body.read_bytes == limit + 1
    assert nothing_stored()


def test_the_limit_is_configurable(store, case, worker, app, monkeypatch):
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 1024 * 1024)
    assert "larger than 1 MB" in refusal(case, worker, pdf() + b"\n%" + b"0" * (1024 * 1024))
    assert nothing_stored()


def test_the_type_is_read_from_the_content_not_the_name(store, case, worker):
    png = io.BytesIO()
    stored_image(photo()).save(png, "PNG")
    attachment = attach_file(case, worker, png.getvalue(), filename="bien-ban.pdf")
    assert (attachment.media_type, attachment.filename) == ("image/png", "bien-ban.png")
    scan = attach_file(case, worker, pdf(), filename="giay-kham.jpg", kind="medical")
    assert (scan.media_type, scan.filename) == ("application/pdf", "giay-kham.pdf")


def test_a_photo_is_stored_without_its_location_or_camera(store, case, worker):
    original = photo(gps=True, camera=True)
    assert stored_image(original).getexif()[MAKE] == "Apple"  # the photo as the phone made it
    attachment = attach_file(case, worker, original)
    kept = stored_image(storage.read(attachment))
    exif = kept.getexif()
    assert GPS_IFD not in exif and MAKE not in exif and MODEL not in exif
    assert len(exif) == 0 and "exif" not in kept.info


def test_a_photo_is_stored_without_its_xmp_or_comment(store, case, worker):
    xmp = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
           b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="21,1.5N"/></rdf:RDF>'
           b'</x:xmpmeta>')
    out = io.BytesIO()
    stored_image(photo()).save(out, "JPEG", xmp=xmp, comment=b"Nha so 5, thon Dong")
    assert b"GPSLatitude" in out.getvalue() and b"thon Dong" in out.getvalue()
    kept = storage.read(attach_file(case, worker, out.getvalue()))
    assert b"GPSLatitude" not in kept and b"thon Dong" not in kept
    assert "xmp" not in stored_image(kept).info and "comment" not in stored_image(kept).info


def test_a_photo_is_turned_upright_before_its_orientation_is_dropped(store, case, worker):
    """Orientation 6: the phone was held upright, the sensor saved the picture lying on its side; shown turned a
    quarter clockwise, the marked top-left corner comes to the top right."""
    attachment = attach_file(case, worker, photo(size=(640, 480), orientation=6))
    kept = stored_image(storage.read(attachment))
    assert kept.size == (480, 640)
    assert ORIENTATION not in kept.getexif()
    red, green, blue = kept.getpixel((480 - 20, 20))
    assert blue > 200 and red < 60


def test_both_hashes_are_recorded(store, case, worker):
    original = photo()
    attachment = attach_file(case, worker, original)
    kept = storage.read(attachment)
    assert attachment.original_sha256 == hashlib.sha256(original).hexdigest()
    assert attachment.stored_sha256 == hashlib.sha256(kept).hexdigest() != attachment.original_sha256
    assert attachment.size == len(kept)


def test_a_photo_gets_a_small_thumbnail_without_metadata(store, case, worker):
    attachment = attach_file(case, worker, photo(size=(1600, 1200)))
    assert attachment.has_thumbnail
    thumbnail = stored_image(storage.read(attachment, "thumbnail"))
    assert thumbnail.size == (320, 240) and len(thumbnail.getexif()) == 0


def test_a_png_is_stored_without_its_text_or_exif(store, case, worker):
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Location", "21.0250 N, 105.8500 E")
    out = io.BytesIO()
    stored_image(photo()).save(out, "PNG", pnginfo=text, exif=stored_image(photo()).getexif())
    attachment = attach_file(case, worker, out.getvalue(), filename="anh.png")
    kept = stored_image(storage.read(attachment))
    assert attachment.media_type == "image/png"
    assert "Location" not in kept.info and len(kept.getexif()) == 0


def test_a_heic_photo_is_kept_as_a_jpeg_without_its_metadata(store, case, worker):
    attachment = attach_file(case, worker, heic_photo(), filename="IMG_0001.HEIC")
    kept = stored_image(storage.read(attachment))
    assert (attachment.media_type, attachment.filename, kept.format) == ("image/jpeg", "IMG_0001.jpg", "JPEG")
    assert len(kept.getexif()) == 0 and attachment.has_thumbnail


def test_a_pdf_is_stored_byte_for_byte(store, case, worker):
    original = pdf()
    attachment = attach_file(case, worker, original, filename="bien-ban.pdf", kind="police")
    assert storage.read(attachment) == original
    assert attachment.stored_sha256 == attachment.original_sha256 == hashlib.sha256(original).hexdigest()
    assert not attachment.pdf_has_script and not attachment.has_thumbnail


def test_a_pdf_with_javascript_is_stored_but_flagged_and_never_shown_inline(store, case, worker):
    attachment = attach_file(case, worker, pdf(script="app.alert('x');"), filename="bien-ban.pdf", kind="police")
    assert attachment.pdf_has_script
    assert not attachment.may_show_inline


def test_a_script_hidden_behind_escaped_names_is_found(store, case, worker):
    """/J#61vaScript is /JavaScript to a PDF reader."""
    hidden = pdf().replace(b"%%EOF", b"1 0 obj << /S /J#61vaScript /J#53 (app.alert(1)) >> endobj\n%%EOF")
    assert attach_file(case, worker, hidden, filename="x.pdf", kind="other").pdf_has_script


def test_a_damaged_pdf_is_refused(store, case, worker):
    assert "The PDF could not be read" in refusal(case, worker, b"%PDF-1.7\n" + b"\x00" * 200, filename="x.pdf")
    assert nothing_stored()


def test_only_images_may_show_inline(store, case, worker):
    assert attach_file(case, worker).may_show_inline
    assert not attach_file(case, worker, pdf(), filename="x.pdf", kind="other").may_show_inline
