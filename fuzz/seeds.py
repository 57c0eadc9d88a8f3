"""Writes the first seed corpora of the fuzz targets into fuzz/work/seeds/<target>/ from the
example site (content/), the test fixtures and a few hand-written hostile inputs:
`python3 fuzz/seeds.py` from the repository root. The input formats are described at the top
of src/fuzzing.rs.
The committed corpora (fuzz/corpus/<target>/) are these seeds plus what the fuzzer found,
minimized with `cargo fuzz cmin`.
"""
import hashlib
import io
import pathlib
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "work" / "seeds"
VALID_PAGE = b"---\ntitle: Latar\n---\n\nLatar belakang.\n"


def write(target, data):
    d = OUT / target
    d.mkdir(parents=True, exist_ok=True)
    (d / hashlib.sha1(data).hexdigest()).write_bytes(data)


def read(p):
    return p.read_bytes() if p and p.is_file() else None


def sites():
    """(site.yaml, [agreement folder], [page]) of every site folder among the fixtures."""
    roots = [ROOT, *(ROOT / "tests" / "fixtures").glob("*/")]
    roots += [ROOT / "tests" / "fixtures" / "import" / "site"]
    minimal = ROOT / "tests" / "fixtures" / "minimal"
    for root in roots:
        content = root / "content"
        if not (content / "site.yaml").is_file():
            continue
        yield content
    # codes/<code>/ hold only the files that differ from minimal/.
    for code in sorted((ROOT / "tests" / "fixtures" / "codes").iterdir()):
        yield (code / "content", minimal / "content")


def pick(overlay, base, rel):
    for c in (overlay, base):
        if c is not None and (c / rel).is_file():
            return c / rel
    return None


def load_validate():
    for entry in sites():
        overlay, base = entry if isinstance(entry, tuple) else (entry, None)
        site = read(pick(overlay, base, "site.yaml"))
        page = read(pick(overlay, base, "pages/about.md")) or b""
        folders = set()
        for c in (overlay, base):
            if c is not None and (c / "agreements").is_dir():
                folders |= {f.name for f in (c / "agreements").iterdir() if f.is_dir()}
        for slug in sorted(folders):
            rel = f"agreements/{slug}"
            agreement = read(pick(overlay, base, f"{rel}/agreement.yaml")) or b""
            ships = []
            for c in (overlay, base):
                if c is not None and (c / rel / "shipments").is_dir():
                    ships = sorted((c / rel / "shipments").rglob("*.y*ml"))
                    break
            pages = []
            for c in (overlay, base):
                if c is not None and (c / rel).is_dir():
                    pages = sorted((c / rel).glob("*.md"))
                    break
            parts = [read(ships[0]) if ships else b"", agreement, site, page]
            if len(ships) > 1 or pages:
                parts.append(read(pages[0]) if pages else VALID_PAGE)
            if len(ships) > 1:
                parts.append(read(ships[1]))
            write("load_validate", b"\0".join(parts))
            for s in ships:
                write("load_validate", read(s))
    # Hostile shapes the loader has limits for.
    write("load_validate", b"- &a [*a]\n")
    write("load_validate", b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n")
    write("load_validate", b"[" * 80 + b"]" * 80)
    write("load_validate", b"\xef\xbb\xbf- id: x\n  date: 2022-13-45\n  quantity: -1e400\n")
    write("load_validate", b"- id: a\n  x: 1\n- id: b\n  quantity: !!binary aGk=\n")


def markdown():
    files = list((ROOT / "content").rglob("*.md"))
    files += list((ROOT / "tests" / "fixtures").rglob("*.md"))
    files += list((ROOT / "src" / "scaffold" / "files").glob("*.md"))
    for f in files:
        text = f.read_bytes()
        if text.startswith(b"---\n"):
            end = text.find(b"\n---\n", 4)
            text = text[end + 5:] if end > 0 else text
        write("markdown", text)
    hostile = [
        b"<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>",
        b"[a](javascript:alert(1)) [b](JaVa\tScRiPt:x) [c](//evil.example) [d](/\\evil.example)",
        b"[e](data:text/html,x) [f](vbscript:x) [g]( javascript:x) [h](<javascript:x>)",
        b"![alt [in](https://a.id/) *x*](https://evil.example/t.png)\n\n[![i](x.png)](javascript:y)",
        b"# A\n# A\n###### deep\n\n## A-2\n\n# \n\n#\xc3\xa9t\xc3\xa9",
        b"| a | b |\n|:--|--:|\n| <b>x</b> | [y](https://a.id/ \"t\\\"itle\") |\n",
        b"x[^1] y[^<script>]\n\n[^1]: note\n[^<script>]: n2\n",
        b"[ref]\n\n[ref]: javascript:alert(1) \"t\"\n\n<https://a.id/> <javascript:x> <a@b.c>",
        b"~~del~~ `code <b>` \n\n```js onload=x\n<b>\n```\n\n3. three\n4. four\n",
        b"> [q](&#106;avascript:x) [r](java&#x73;cript:x) [s](&#x2F;/evil)",
    ]
    for h in hostile:
        write("markdown", h)


def unzip_entries(data):
    z = zipfile.ZipFile(io.BytesIO(data))
    parts = [n.encode() + b"\n" + z.read(n) for n in z.namelist()]
    return b"%zip\n" + b"\0".join(parts)


def import_():
    for f in [
        *(ROOT / "tests" / "fixtures" / "import").glob("*.csv"),
        ROOT / "src" / "scaffold" / "files" / "contoh-pengiriman.csv",
    ]:
        write("import", f.read_bytes())
    for f in (ROOT / "tests" / "fixtures" / "import").glob("*.xlsx"):
        data = f.read_bytes()
        write("import", data)
        write("import", unzip_entries(data))
    write("import", b"date,from,commodity,quantity,unit\n2022-06-12,pt-suj,sapi,1e30,ekor\n")
    write("import", b"tanggal\tpelaku\tkomoditas\tjumlah\tsatuan\tketerangan\n"
          b"31 Desember 9999\tPT SUJ\tSapi\t0,5\tekor\t\"a\nb\"\n"
          b"29/02/2023\t?\tJagung\t-3\tkuintal\t\x07\n")


if __name__ == "__main__":
    load_validate()
    markdown()
    import_()
    for t in sorted(OUT.iterdir()):
        files = list(t.iterdir())
        print(t.name, len(files), "files", sum(f.stat().st_size for f in files), "bytes")
