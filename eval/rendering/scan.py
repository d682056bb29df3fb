"""A rendered PDF with some pages replaced by pictures of themselves: the scanned-page input for OCR."""
from __future__ import annotations

import io

RESOLUTION = 200


def scan_pages(pdf: bytes, pages: set[int], resolution: int = RESOLUTION) -> bytes:
    """pdf with each 1-based page in pages rasterised at resolution and put back as an image only
    (no text layer, no vector lines), at the same size and place."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(pdf)
    out = pdfium.PdfDocument.new()
    for index in range(len(source)):
        number = index + 1
        if number not in pages:
            out.import_pages(source, [index])
            continue
        page = source[index]
        width, height = page.get_size()
        bitmap = page.render(scale=resolution / 72).to_pil().convert("RGB")
        scanned = out.new_page(width, height)
        image = pdfium.PdfImage.new(out)
        image.set_bitmap(pdfium.PdfBitmap.from_pil(bitmap))
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        scanned.insert_obj(image)
        scanned.gen_content()
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
