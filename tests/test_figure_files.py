"""Figure files a designer can reuse (issue 23): PDFs with TrueType fonts (text that can be
edited, not Type 3 drawings) and Title, Author and Subject from the manifest."""
import json

import pypdfium2


def test_pdfs_embed_truetype_fonts_and_carry_the_manifest_title(built):
    paths, _ = built
    manifest = json.loads((paths.figures / "manifest.json").read_text(encoding="utf-8"))
    pdfs = [(entry, paths.figures / f) for entry in manifest for f in entry["files"] if f.endswith(".pdf")]
    assert len(pdfs) == len(manifest)  # one PDF per figure and language
    for entry, pdf in pdfs:
        data = pdf.read_bytes()
        assert b"/Type3" not in data and b"/FontFile2" in data, pdf.name
        doc = pypdfium2.PdfDocument(str(pdf))
        try:
            meta = doc.get_metadata_dict()
        finally:
            doc.close()
        assert meta["Title"] == entry["title"], pdf
        assert meta["Author"] == "cse-stats contributors"
        assert entry.get("source", "")[:40] in meta["Subject"], pdf
