"""Finding the statistical claims of a text: every number with its qualifier, sentence and context.

`read_lines(path)` reads .txt, .md, .pdf (pdfplumber) or .docx (python-docx) into numbered lines;
`find_claims(lines, lang)` returns one `Claim` per number that states a statistic: a count, a
share, a change, a multiple, a rank, a rate, an amount or a duration, in English or French
formats ("36.2 million", "36,2 millions", "318 000", "12 000 %", "4,700", "0.52%", "tripled",
"a doublé", "x2", "some twenty", "half"). Years, dates, page numbers, footnote markers, list and
table-of-contents numbers, article and law numbers, postal codes and phone numbers are not
claims. Each claim carries what the sentence around it names: years, dates, organisations,
places and the unit it counts, so that `analysis.textcheck` can look it up in the tidy table.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from analysis.errors import DataError, Problem

# --- reading files ------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class FileProblem(Problem):
    """A problem with a whole file: shown as 'path: what', without a line number."""

    def __str__(self) -> str:
        return f"{self.file}: {self.text}"


def _unreadable(path: Path, what: str) -> DataError:
    return DataError(FileProblem(str(path), 0, text=what))


def read_lines(path: Path | str) -> list[str]:
    """The text of a document as lines (line i of the result is line i+1 of the document; for a PDF,
    of its extracted text, pages one after another; for a .docx, paragraph i+1).

    Raises DataError with one line 'path: why' when the file is missing, empty, not text,
    an encrypted PDF or a corrupt .docx."""
    return read_document(path)[0]


# What `check` reads, at most: beyond these a document is refused with its own message (memory and
# time stay bounded whatever is given; the README lists them).
LIMITS = {
    "bytes": 20_000_000,  # a file, or standard input
    "pdf_pages": 300,
    "docx_expanded": 50_000_000,  # the .docx's parts once inflated, read from the archive's directory first
    "docx_paragraphs": 200_000,
    "line": 1_000_000,  # characters in one line (one paragraph of a .docx)
}


def read_document(path: Path | str) -> tuple[list[str], str]:
    """(lines, layout): layout 'markdown', 'text' (paragraphs separated by blank lines, lines wrapped)
    or 'paragraphs' (one paragraph per line, as a .docx gives them)."""
    import stat

    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise _unreadable(path, "no such file") from None
    except OSError as err:
        raise _unreadable(path, f"cannot be read ({err.strerror or type(err).__name__})") from None
    if stat.S_ISDIR(mode):
        raise _unreadable(path, "is a directory, not a document")
    if not stat.S_ISREG(mode):
        raise _unreadable(path, "is not a regular file (a device, pipe or socket); give a .txt, .md, .pdf or .docx file, "
                                "or '-' for standard input")
    if path.stat().st_size > LIMITS["bytes"]:
        raise _unreadable(path, f"is larger than {LIMITS['bytes']:,} bytes, the most `check` reads")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise _unreadable(path, f"cannot be read ({err.strerror or type(err).__name__})") from None
    return document_lines(path, data)


def read_stdin(stream) -> tuple[list[str], str]:
    """Standard input as a plain-text document, within the same size limit."""
    data = stream.read(LIMITS["bytes"] + 1)
    if len(data) > LIMITS["bytes"]:
        raise _unreadable(Path("-"), f"standard input is larger than {LIMITS['bytes']:,} bytes, the most `check` reads")
    return document_lines(Path("-"), data, plain=True)


def document_lines(path: Path, data: bytes, plain: bool = False) -> tuple[list[str], str]:
    if not data.strip():
        raise _unreadable(path, "the file is empty")
    suffix = path.suffix.lower()
    layout = "markdown" if suffix in (".md", ".markdown") else "text"
    if not plain and (suffix == ".pdf" or data[:5] == b"%PDF-"):
        text, layout = _pdf_text(path), "text"
    elif not plain and (suffix == ".docx" or (data[:2] == b"PK" and suffix not in (".txt", ".md"))):
        text, layout = _docx_text(path), "paragraphs"
    else:
        text = _plain_text(path, data)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    long = next((k for k, line in enumerate(lines, start=1) if len(line) > LIMITS["line"]), None)
    if long is not None:
        raise _unreadable(path, f"line {long} is longer than {LIMITS['line']:,} characters, the most `check` reads in one line")
    if not any(re.search(r"\w", line) for line in lines):
        raise _unreadable(path, "no text found in the document")
    return lines, layout


def _plain_text(path: Path, data: bytes) -> str:
    if b"\x00" in data[:65536]:
        raise _unreadable(path, "not a text file (binary content); give a .txt, .md, .pdf or .docx file")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise _unreadable(path, "not a text file (cannot be decoded as UTF-8)")
    controls = sum(1 for ch in text[:65536] if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:65536]) // 100):
        raise _unreadable(path, "not a text file (binary content); give a .txt, .md, .pdf or .docx file")
    return text


def _pdf_text(path: Path) -> str:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > LIMITS["pdf_pages"]:
                raise _unreadable(path, f"the PDF has {len(pdf.pages):,} pages; `check` reads at most {LIMITS['pdf_pages']:,}")
            pages = []
            for page in pdf.pages:
                pages.append(page.extract_text() or "")
                page.close()  # pdfplumber keeps each page's objects until closed
    except DataError:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise _unreadable(path, "the PDF is encrypted (password protected); give an unprotected copy") from None
    except Exception as err:  # pdfminer raises many kinds for damaged files; pdfplumber wraps them
        inner = [err, *getattr(err, "args", ())]
        if any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in type(e).__name__.lower()
               or "encrypt" in type(e).__name__.lower() for e in inner):
            raise _unreadable(path, "the PDF is encrypted (password protected); give an unprotected copy") from None
        raise _unreadable(path, f"not a readable PDF ({type(err).__name__})") from None
    return "\n\n".join(pages)  # a blank line between pages: a page ends a paragraph


def _docx_text(path: Path) -> str:
    import zipfile

    try:
        import docx
    except ImportError:  # pragma: no cover - declared dependency
        raise _unreadable(path, "python-docx is not installed; it is needed to read .docx files") from None
    try:  # the size of the parts once inflated, from the archive's directory, before inflating anything
        with zipfile.ZipFile(path) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise _unreadable(path, f"not a readable .docx file ({type(err).__name__})") from None
    if expanded > LIMITS["docx_expanded"]:
        raise _unreadable(path, f"the .docx expands to {expanded:,} bytes; `check` reads at most {LIMITS['docx_expanded']:,}")
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise _unreadable(path, f"not a readable .docx file ({type(err).__name__})") from None
    except Exception as err:  # lxml and python-docx raise their own types for damaged parts
        raise _unreadable(path, f"not a readable .docx file ({type(err).__name__})") from None
    paragraphs = document.paragraphs
    if len(paragraphs) > LIMITS["docx_paragraphs"]:
        raise _unreadable(path, f"the .docx has {len(paragraphs):,} paragraphs; `check` reads at most {LIMITS['docx_paragraphs']:,}")
    lines = [paragraph.text.replace("\n", " ") for paragraph in paragraphs]
    for table in document.tables:
        lines += [" | ".join(cell.text.replace("\n", " ") for cell in row.cells) for row in table.rows]
    return "\n".join(lines)


# --- vocabulary ---------------------------------------------------------------------------------

ORGANISATIONS = {  # key: pattern (case-sensitive unless (?i))
    "NCMEC": r"\bNCMEC\b|National Cent(?:er|re) for Missing (?:and|&) Exploited Children|(?i:\bcyber ?tip(?:line)?s?\b)",
    "IWF": r"\bIWF\b|Internet Watch Foundation",
    "Protect Children": r"Protect Children|Suojellaan Lapsia|\bReDirection\b",
    "OFMIN": r"\bOFMIN\b|(?i:office mineurs|office des mineurs)",
    "Point de Contact": r"Point de Contact|PointdeContact",
    "INTERPOL": r"(?i:\binterpol\b)|\bICSE\b",
    "Thorn": r"\bThorn\b",
    "WeProtect": r"WeProtect",
    "INHOPE": r"\bINHOPE\b|\bInhope\b",
    "Europol": r"(?i:\beuropol\b)",
    "PHAROS": r"\bPHAROS\b|\bPharos\b",
    "Arcom": r"\bArcom\b|\bARCOM\b|personnalité qualifiée",
    "OCLCTIC": r"\bOCLCTIC\b",
    "OCRVP": r"\bOCRVP\b",
    "Stanford": r"\bStanford\b|\bSIO\b",
    "Deeptrace": r"\bDeeptrace\b",
    "eSafety": r"\beSafety\b",
    "Eurostat": r"\bEurostat\b",
    "Europe Commission": r"European Commission|Commission européenne",
}
_ORG_RES = {k: re.compile(v) for k, v in ORGANISATIONS.items()}


_ORG_ANY = re.compile("|".join(f"(?:{v})" for v in ORGANISATIONS.values()))


def organisations(text: str) -> tuple[str, ...]:
    """Organisations a text names, by key of ORGANISATIONS."""
    if not _ORG_ANY.search(text):
        return ()
    return tuple(k for k, rx in _ORG_RES.items() if rx.search(text))


# Unit words -> canonical measure. Multi-word phrases are tried first.
UNIT_PHRASES = {
    "pieces of csam": "material", "pieces of child sexual abuse material": "material", "items of csam": "material",
    "child sexual abuse material": "material", "sexual abuse material": "material", "case files": "cases",
    "web pages": "urls", "pages web": "urls", "images and videos": "images_and_videos", "images or videos": "images_and_videos",
    "images et vidéos": "images_and_videos", "images ou vidéos": "images_and_videos", "photos et vidéos": "images_and_videos",
    "law enforcement agencies": "agencies", "contenus pédocriminels": "material", "dossiers judiciaires": "cases",
}
UNIT_WORDS = {
    "reports": "reports", "report": "reports", "signalements": "reports", "signalement": "reports", "tips": "reports",
    "cybertips": "reports", "referrals": "reports", "notifications": "reports",
    "incidents": "incidents", "incident": "incidents",
    "files": "files", "file": "files", "fichiers": "files", "fichier": "files",
    "images": "images", "image": "images", "photos": "images", "photo": "images", "pictures": "images", "photographs": "images",
    "photographies": "images",
    "videos": "videos", "video": "videos", "vidéos": "videos", "vidéo": "videos",
    "pieces": "material", "items": "material", "instances": "material", "contents": "material", "contenus": "material",
    "materials": "material", "csam": "material", "cses": "material", "pédopornographie": "material",
    "webpages": "urls", "webpage": "urls", "urls": "urls", "url": "urls", "websites": "urls", "sites": "urls", "links": "urls",
    "liens": "urls", "domains": "urls", "domaines": "urls",
    "victims": "victims", "victim": "victims", "victimes": "victims", "victime": "victims", "survivors": "victims",
    "survivantes": "victims", "survivants": "victims",
    "respondents": "respondents", "répondants": "respondents", "repondants": "respondents", "participants": "respondents",
    "consumers": "people", "creators": "people", "offenders": "people", "predators": "people", "perpetrators": "people",
    "users": "people", "individuals": "people", "people": "people", "persons": "people", "person": "people",
    "personnes": "people", "utilisateurs": "people", "internautes": "people", "auteurs": "people", "prédateurs": "people",
    "consommateurs": "people", "men": "people", "women": "people", "hommes": "people", "femmes": "people",
    "children": "children", "child": "children", "enfants": "children", "enfant": "children", "minors": "children",
    "mineurs": "children", "girls": "children", "boys": "children", "filles": "children", "garçons": "children",
    "students": "children", "élèves": "children", "pupils": "children", "teenagers": "children", "adolescents": "children",
    "adolescentes": "children", "teens": "children", "jeunes": "children", "kids": "children",
    "cases": "cases", "case": "cases", "affaires": "cases", "dossiers": "cases", "enquêtes": "cases", "investigations": "cases",
    "requests": "requests", "demandes": "requests", "requêtes": "requests",
    "agencies": "agencies", "agences": "agencies", "services": "agencies",
    "companies": "companies", "entreprises": "companies", "sociétés": "companies", "platforms": "companies",
    "plateformes": "companies",
    "countries": "countries", "pays": "countries", "jurisdictions": "countries", "territories": "countries",
    "signatories": "signatories", "signataires": "signatories", "signatures": "signatories",
    "arrests": "arrests", "arrestations": "arrests", "interpellations": "arrests", "suspects": "arrests",
    "accounts": "accounts", "comptes": "accounts", "followers": "accounts", "abonnés": "accounts",
    "downloads": "downloads", "téléchargements": "downloads",
    "hours": "hours", "hour": "hours", "heures": "hours", "heure": "hours",
    "days": "days", "day": "days", "jours": "days", "jour": "days",
    "weeks": "weeks", "semaines": "weeks",
    "months": "months", "month": "months", "mois": "months",
    "years": "years", "year": "years", "ans": "years", "années": "years", "an": "years",
    "seconds": "seconds", "secondes": "seconds", "minutes": "minutes",
    "euros": "euros", "euro": "euros", "eur": "euros", "€": "euros",
    "dollars": "dollars", "dollar": "dollars", "usd": "dollars", "$": "dollars",
    "pounds": "pounds", "livres": "pounds", "gbp": "pounds", "£": "pounds",
}
TIME_UNITS = {"hours", "days", "weeks", "months", "years", "seconds", "minutes"}
MONEY_UNITS = {"euros", "dollars", "pounds"}

MONTHS_EN = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december"]
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]
MONTH_NUMBER = {**{m: i + 1 for i, m in enumerate(MONTHS_EN)}, **{m: i + 1 for i, m in enumerate(MONTHS_FR)},
                "fevrier": 2, "aout": 8, "decembre": 12, "sept": 9, "oct": 10, "nov": 11, "dec": 12, "jan": 1, "feb": 2,
                "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8}
_MONTH_RE = "|".join(sorted(MONTH_NUMBER, key=len, reverse=True))

WORD_NUMBERS_EN = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                   "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
                   "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
                   "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
                   "one hundred": 100, "a thousand": 1000, "one thousand": 1000, "thousand": 1000, "a million": 1e6,
                   "one million": 1e6, "a dozen": 12, "dozen": 12}
WORD_NUMBERS_FR = {"deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
                   "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
                   "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100, "mille": 1000,
                   "un million": 1e6, "une douzaine": 12}
# Words that stand for a number with their own precision: (value, qualifier, kind)
VAGUE = {
    "half": (50, "approx", "percent"), "a half": (50, "approx", "percent"), "one half": (50, "approx", "percent"),
    "a third": (100 / 3, "approx", "percent"), "one third": (100 / 3, "approx", "percent"),
    "two thirds": (200 / 3, "approx", "percent"), "two-thirds": (200 / 3, "approx", "percent"),
    "a quarter": (25, "approx", "percent"), "one quarter": (25, "approx", "percent"),
    "three quarters": (75, "approx", "percent"), "three-quarters": (75, "approx", "percent"),
    "la moitié": (50, "approx", "percent"), "moitié": (50, "approx", "percent"), "un tiers": (100 / 3, "approx", "percent"),
    "deux tiers": (200 / 3, "approx", "percent"), "un quart": (25, "approx", "percent"),
    "trois quarts": (75, "approx", "percent"),
    "une dizaine": (10, "approx", "count"), "une vingtaine": (20, "approx", "count"), "une trentaine": (30, "approx", "count"),
    "une quarantaine": (40, "approx", "count"), "une cinquantaine": (50, "approx", "count"),
    "une soixantaine": (60, "approx", "count"), "une centaine": (100, "approx", "count"), "un millier": (1000, "approx", "count"),
    "tens of thousands": (10000, "at_least", "count"), "hundreds of thousands": (100000, "at_least", "count"),
    "des dizaines de milliers": (10000, "at_least", "count"), "des centaines de milliers": (100000, "at_least", "count"),
    "dozens": (24, "at_least", "count"), "hundreds": (200, "at_least", "count"), "thousands": (1000, "at_least", "count"),
    "millions": (1e6, "at_least", "count"), "des dizaines": (20, "at_least", "count"),
    "des centaines": (200, "at_least", "count"), "des milliers": (1000, "at_least", "count"),
    "des millions": (1e6, "at_least", "count"),
}
FOLD_WORDS = {"doubled": 2, "tripled": 3, "trebled": 3, "quadrupled": 4, "quintupled": 5, "twofold": 2, "threefold": 3,
              "fourfold": 4, "fivefold": 5, "tenfold": 10, "a doublé": 2, "a triplé": 3, "a quadruplé": 4,
              "ont doublé": 2, "ont triplé": 3, "ont quadruplé": 4, "doublé": 2, "triplé": 3, "quadruplé": 4,
              "doubler": 2, "tripler": 3, "doublement": 2, "triplement": 3, "double": 2, "triple": 3,
              "two-fold": 2, "three-fold": 3, "four-fold": 4, "five-fold": 5, "ten-fold": 10}

QUALIFIERS = [  # (pattern before the number, qualifier); longest first
    (r"more than|over|at least|upwards of|in excess of|no fewer than|no less than|above|exceeding|just over|"
     r"plus de|plus d['’]|au moins|au minimum|pas moins de|au-delà de|supérieure? à|plus que", "at_least"),
    (r"around|about|approximately|roughly|some|nearly|almost|close to|circa|an estimated|estimated|just under|"
     r"environ|près de|presque|quelque|autour de|approximativement|quasiment|à peu près|de l['’]ordre de|"
     r"aux alentours de|pratiquement|une estimation de", "approx"),
    (r"less than|fewer than|under|below|up to|at most|moins de|moins d['’]|jusqu['’]à|au plus|au maximum|inférieure? à",
     "at_most"),
]
_QUAL_BEFORE = [(re.compile(rf"(?i)(?:^|[^\w])({p})\s*(?:the\s|a\s|an\s|de\s|d['’])?\s*$"), q) for p, q in QUALIFIERS]
_QUAL_AFTER = [(re.compile(r"(?i)^\s*(?:[^\w\s]\s*)?(or more|and over|and more|or over|ou plus|et plus|au moins)\b"), "at_least"),
               (re.compile(r"(?i)^\s*(?:years?\s+(?:old\s+)?)?(and under|or less|or fewer|and below|and younger|ou moins|"
                           r"et moins|et moins)\b"), "at_most")]

CHANGE_UP = r"increases?|increased|rise|rises|rose|risen|growth|grew|grown|jump(?:ed)?|surge(?:d)?|" \
            r"(?<!made )(?<!make )(?<!makes )(?<!making )up|more|higher|hike|" \
            r"hausse|augmentation|augmenté|progression|croissance|bond|a bondi|de plus|en plus|supplémentaires?"
CHANGE_DOWN = r"decreases?|decreased|drop(?:ped)?|fall|fell|decline(?:d)?|fewer|lower|less|reduction|down|" \
              r"baisse|diminution|diminué|recul|reculé|de moins|en moins"
_CHANGE_AFTER = re.compile(rf"(?i)^\s*(?:\)\s*)?(?:an?\s+)?(?:{CHANGE_UP}|(?P<down>{CHANGE_DOWN}))\b")
# 'an increase of 400%', 'une augmentation fulgurante de 400 %', 'a sharp rise of': up to two words between
_CHANGE_BEFORE = re.compile(rf"(?i)\b(?:(?:{CHANGE_UP})|(?P<down>{CHANGE_DOWN}))(?:\s+[^\W\d]+){{0,2}}?\s+(?:of|by|de|d['’]|in|en|par)?\s*"
                            rf"(?:about|around|some|nearly|almost|more than|over|plus de|près de|environ|quelque)?\s*$")
RATES = [
    (r"per day|a day|every day|each day|daily|par jour|chaque jour|quotidiennement|par 24 ?h|every 24 hours", "day"),
    (r"per week|a week|every week|each week|weekly|par semaine|chaque semaine", "week"),
    (r"per month|a month|every month|each month|monthly|par mois|chaque mois|mensuellement", "month"),
    (r"per year|a year|every year|each year|annually|yearly|per annum|par an|chaque année|annuellement|par année", "year"),
]
_RATE_RES = [(re.compile(rf"(?i)\b(?:{p})\b"), r) for p, r in RATES]
RANK_WORDS = re.compile(r"(?i)\b(rank(?:s|ed|ing)?|place[sd]?|position|rang|classée?s?|classement|worst|largest|biggest|"
                        r"premier|première|top)\b")

GEO_WORDS = {  # demonyms and common names pycountry does not list
    "france": "FRA", "french": "FRA", "français": "FRA", "française": "FRA", "hexagone": "FRA",
    "united kingdom": "GBR", "uk": "GBR", "britain": "GBR", "british": "GBR", "england": "GBR", "royaume-uni": "GBR",
    "britannique": "GBR", "united states": "USA", "us": "USA", "usa": "USA", "american": "USA", "états-unis": "USA",
    "etats-unis": "USA", "américain": "USA", "américaine": "USA", "australia": "AUS", "australian": "AUS",
    "australie": "AUS", "australien": "AUS", "australienne": "AUS", "spain": "ESP", "spanish": "ESP", "espagne": "ESP",
    "espagnol": "ESP", "espagnole": "ESP", "ecuador": "ECU", "équateur": "ECU", "ecuadorian": "ECU",
    "germany": "DEU", "german": "DEU", "allemagne": "DEU", "netherlands": "NLD", "dutch": "NLD", "pays-bas": "NLD",
    "belgium": "BEL", "belgique": "BEL", "italy": "ITA", "italie": "ITA", "canada": "CAN", "finland": "FIN",
    "finlande": "FIN", "finnish": "FIN", "india": "IND", "inde": "IND", "brazil": "BRA", "brésil": "BRA",
    "european union": "EU27", "eu": "EU27", "ue": "EU27", "union européenne": "EU27", "europe": "EUR", "européen": "EUR",
    "european": "EUR", "world": "WLD", "worldwide": "WLD", "global": "WLD", "globally": "WLD", "monde": "WLD",
    "mondial": "WLD", "mondiale": "WLD",
}

STOP = set("""a an the of to in on at by for from with and or but as is are was were be been being it its this that these
those than then there their they them he she his her we our you your i not no nor so such which who whom what when where
while also into over under about after before between during since until per each every more most less many much some any
all both other own same can could would should may might will shall has have had do does did done just only very via
le la les un une des du de d l au aux et ou mais est sont été être a ont avait avaient ce cet cette ces qui que quoi dont
où dans sur sous par pour avec sans plus moins entre depuis pendant chez leur leurs son sa ses se s il elle ils elles nous
vous on en y ne pas comme aussi tout tous toute toutes très ainsi selon lors""".split())

def fold(text: str) -> str:
    """Lower case without accents: 'Vidéos' -> 'videos'."""
    if text.isascii():  # most words: nothing to strip
        return text.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


# French keywords -> English, so that French text meets the registries' English labels.
TRANSLATE = {
    "signalement": "report", "fichier": "file", "video": "video", "enfant": "child", "victime": "victim",
    "repondant": "respondent", "heberge": "hosted", "hebergement": "hosting", "sextorsion": "sextortion",
    "pedocriminel": "csam", "pedopornographique": "csam", "pedopornographie": "csam", "contenu": "content",
    "generative": "generative", "ia": "ai", "intelligence": "intelligence", "artificielle": "artificial",
    "reseaux": "social", "sociaux": "media", "plateforme": "platform", "demande": "request", "retrait": "removal",
    "mineur": "minor", "sollicitation": "enticement", "max": "maximum", "min": "minimum", "imprisonment": "prison",
    "jail": "prison", "emprisonnement": "prison", "maximale": "maximum", "maximal": "maximum", "minimale": "minimum",
    "amende": "fine", "desire": "want", "wish": "want", "willing": "want", "souhait": "want", "envie": "want", "peine": "penalty", "an": "year", "annee": "year", "heure": "hour", "mois": "month", "traite": "trafficking", "annuel": "annual", "recu": "received",
    "illegal": "illegal", "illicite": "illegal", "mondial": "world", "monde": "world",
    "europe": "europe", "pays": "country", "affaire": "case", "dossier": "case", "image": "image", "page": "webpage",
}


PHRASES = {  # ways of saying the same thing, before words are split
    r"\b(?:clear|classic|surface|open)\s+web\b": "openweb", r"\bweb\s+(?:ouvert|surfacique|visible)\b": "openweb",
    r"\b(?:dark|deep)\s+web\b": "darkweb", r"\bweb\s+(?:sombre|clandestin)\b": "darkweb", r"\bdarknet\b": "darkweb",
    r"\bsocial\s+(?:networks?|media)\b": "socialmedia", r"\bréseaux\s+sociaux\b": "socialmedia",
    r"\bgenerative\s+ai\b|\bgen\s?ai\b|\bia\s+générative\b|\bai[- ]generated\b|\bgenerated\s+(?:by|using|with)\s+"
    r"(?:ai|artificial intelligence)\b|\bgénérée?s?\s+par\s+(?:l['’])?(?:ia|intelligence artificielle)\b": "generativeai ai",
    r"\bchild\s+(?:sexual\s+)?(?:abuse|exploitation)\s+(?:material|imagery|images|content)s?\b|\bchild[\s-]+pornograph(?:y|ic)\b|"
    r"\bpédopornograph\w*|\bpedopornograph\w*|\bcontenus?\s+pédocriminels?\b|\bcsem\b": "csam",
    r"\bend-to-end[- ]encrypted\b|\bchiffré(?:e|s|es)?\s+de\s+bout\s+en\s+bout\b": "e2ee",
    r"\bchantages?\s+(?:à|a)\s+la\s+(?:vidéo|webcam|photo|image)s?(?:\s+intimes?)?\b|\bsextorsion\b": "sextortion",
}
_PHRASE_RES = [(re.compile(k, re.I), v) for k, v in PHRASES.items()]

# Age bands written in words ("aged between seven and ten", "de trois à six ans") become the
# '7-10' that breakdowns use (age=7-10), so a sentence names the band it means.
_SMALL = {w: n for n, ws in enumerate([
    "zero zéro", "one un une", "two deux", "three trois", "four quatre", "five cinq", "six", "seven sept", "eight huit",
    "nine neuf", "ten dix", "eleven onze", "twelve douze", "thirteen treize", "fourteen quatorze", "fifteen quinze",
    "sixteen seize", "seventeen dix-sept", "eighteen dix-huit"]) for w in ws.split()}
_N = r"(\d{1,2}|" + "|".join(sorted(map(re.escape, _SMALL), key=len, reverse=True)) + r")"
_AGE_BANDS = [re.compile(rx, re.I) for rx in (
    rf"\baged\s+(?:between\s+)?{_N}\s*(?:and|to|-|–)\s*{_N}\b",
    rf"\b(?:between\s+)?{_N}\s*(?:and|to|-|–)\s*{_N}\s+years?\b",
    rf"\b(?:de|entre)\s+{_N}\s+(?:à|et)\s+{_N}\s+ans\b",
    rf"\bâgée?s?\s+de\s+{_N}\s+à\s+{_N}\b",
)]


def _age_bands(text: str) -> list[str]:
    bands = []
    for rx in _AGE_BANDS:
        for match in rx.finditer(text):
            lo, hi = (int(g) if g.isdigit() else _SMALL[g.lower()] for g in match.groups())
            if lo < hi and f"{lo}_{hi}" not in bands:
                bands.append(f"{lo}_{hi}")
    return bands


def keywords(text: str) -> list[str]:
    """Content words, folded, singular, French ones mapped to English; article numbers kept as '226_8_1'."""
    out = []
    for rx, token in _PHRASE_RES:
        if rx.search(text):
            text = rx.sub(f" {token} ", text)
    for ref in re.findall(r"(?<![\w-])\d+(?:[-_]\d+)+(?![\w-])", text):
        out.append(ref.replace("-", "_"))
    out += [band for band in _age_bands(text) if band not in out]
    for word in re.findall(r"[^\W\d_]+", fold(text)):
        if word in STOP or len(word) < 2:
            continue
        out.append(stem(word))
    return out


def stem(word: str) -> str:
    word = TRANSLATE.get(word, word)
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return TRANSLATE.get(word, word)


# --- claims -------------------------------------------------------------------------------------


@dataclass
class Claim:
    line: int
    sentence: str
    value_printed: str
    value: float
    qualifier: str  # exact, rounded, approx, at_least, at_most
    decimals: int
    kind: str  # count, percent, change, pp, fold, rank, duration, money, age
    unit: str = ""  # canonical measure the sentence names ('' if none)
    rate: str = ""  # '', day, week, month, year
    years: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()  # '2023-12-20', '2023-09'
    orgs: tuple[str, ...] = ()  # named in the sentence
    context_orgs: tuple[str, ...] = ()  # named in the paragraph or the section before it
    geos: tuple[str, ...] = ()
    context_geos: tuple[str, ...] = ()
    context_years: tuple[str, ...] = ()
    since: str = ""  # 'since 2019'
    cumulative: bool = False  # 'since its creation', 'in total'
    span: int = 0  # 'in ten years' -> 10
    scope: str = ""  # region a rank is within: EUR, EU27, WLD
    window: str = ""  # the words around the number
    cited: str = ""  # the text of the footnotes the sentence refers to
    cited_years: tuple[str, ...] = ()  # years in those footnotes (or in the paragraph's before)
    context_cited: str = ""  # the footnote of an earlier paragraph of the section, when the sentence has none
    lang: str = "en"
    start: int = 0  # offset of the number in its sentence
    periods: tuple[str, ...] = ()  # '2025-H1', '2024': stated in the sentence, or carried (period_from)
    period_from: str = ""  # 'sentence', 'relative' (resolved against the text's date), 'paragraph' (carried), ''
    versus_previous: bool = False  # 'than the year before', 'par rapport à l'année précédente', 'year on year'
    base_year: str = ""  # 'a 5% increase from 2022', 'par rapport à 2022': the start of the change stated


_SPACES = "\u00a0\u202f\u2009\u2007"
_SP = f"[ {_SPACES}]"
NUMBER = re.compile(
    rf"(?<![\w.,/\-])(?<![\w][.,])"
    rf"(\d{{1,3}}(?:{_SP}\d{{3}})+(?![\d])(?:,\d+)?|\d{{1,3}}(?:,\d{{3}})+(?![\d])(?:\.\d+)?|"
    rf"\d{{1,3}}(?:\.\d{{3}}){{2,}}(?![\d])|\d+(?:[.,]\d+)?)"
)
SCALE = re.compile(rf"(?i)^{_SP}?(millions?|milliards?|billions?|thousand|mille|bn|mds?|k)\b")
SCALE_VALUE = {"million": 1e6, "millions": 1e6, "milliard": 1e9, "milliards": 1e9, "billion": 1e9, "billions": 1e9,
               "thousand": 1e3, "mille": 1e3, "bn": 1e9, "md": 1e9, "mds": 1e9, "k": 1e3}
PERCENT = re.compile(rf"(?i)^{_SP}?(%|per ?cent\b|pour ?cent\b|pourcent\b)")
POINTS = re.compile(rf"(?i)^{_SP}?(percentage points?|points? de pourcentage|pp\b|points?\b)")
CURRENCY_AFTER = re.compile(rf"(?i)^{_SP}?(€|\$|£|euros?\b|eur\b|usd\b|gbp\b|dollars?\b|pounds?\b|livres? sterling\b)")
CURRENCY_BEFORE = re.compile(r"(€|\$|£|US\$|EUR ?|USD ?|GBP ?)$")
ORDINAL = re.compile(r"(?i)^(st|nd|rd|th|e|er|ère|ème|eme|ᵉ)\b")
FOLD_AFTER = re.compile(rf"(?i)^{_SP}?(?:[x×]|-?fold\b|times\b|fois\b)")
FOLD_BEFORE = re.compile(r"(?i)(?:(?<![\w])[x×]\s?|multiplied by\s|multiplié(?:e|s|es)? par\s)$")
AGE_AFTER = re.compile(r"(?i)^[- ]?(year|yr)s?[- ]old\b|^\s*ans\b(?=\s*(?:et|ou|,|\.|\)|$))")
AGE_BEFORE = re.compile(r"(?i)\b(aged|age of|âgée?s? de|ages? of|de moins de|under the age of)\s*$")
SKIP_BEFORE = re.compile(
    r"(?i)(\b(?:pp?\.?|pages?|art\.|articles?|arts?|law|loi|no\.|n°|nº|n\s?o\.|sections?|directive|regulation|"
    r"règlement|décret|decree|chapters?|chapitre|alinéa|paragraph|paragraphe|§|version|v\.?|level|niveau|"
    r"category|catégorie|tel\.?|tél\.?|phone|téléphone|call|dial|appelez|appeler|composez|numéro|number|"
    r"helpline|ligne|hotline|footnote|note|figure|fig\.|table|tableau|annex|annexe|appendix|step|étape|"
    r"cedex|bp|cs|rue|avenue|boulevard|place|street|road|room|salle)\s*$)")
LIST_START = re.compile(r"^\s*(?:[-*•]\s*)?\d{1,3}[.)]\s")
YEAR_RE = re.compile(r"(?<![\d,.])(1[89]\d\d|20\d\d)(?![\d%])")
DATE_RES = [
    re.compile(rf"(?i)\b(\d{{1,2}})(?:er|st|nd|rd|th)?(?:\s+(?:and|et|-|–|to|au)\s+\d{{1,2}})?\s+({_MONTH_RE})\.?,?\s+(\d{{4}})"),
    re.compile(rf"(?i)\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})"),
    re.compile(rf"(?i)\b({_MONTH_RE})\.?\s+(\d{{4}})"),
    re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{2,4})\b"),
]
PHONE = re.compile(r"(?:\+\d{1,3}[\s.]?)?(?:\(0\)\s?)?\d{1,2}(?:[\s.]\d{2}){3,}\b|\b\d{4}[\s.]\d{3}[\s.]\d{3}\b")
POSTCODE = re.compile(r"\b\d{2}\s?\d{3}(?=\s+[A-ZÉ][\w\-]+)")
URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")

FR_WORDS = set("le la les des du est et une dans pour qui que sur avec ont été plus sont nous vous leur cette ces aux "
               "par pas ne selon depuis entre signalements enfants".split())
EN_WORDS = set("the and of to in is that for with was were have from by this are which has been their these children "
               "reports more than".split())


def detect_language(text: str) -> str:
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ]+", text.lower()[:200000])
    fr = sum(w in FR_WORDS for w in words)
    en = sum(w in EN_WORDS for w in words)
    return "fr" if fr > en else "en"


# --- preparing text -----------------------------------------------------------------------------


def clean_line(line: str) -> str:
    """Markdown/HTML to plain text on one line; footnote markers dropped, keeping every other character."""
    line = re.sub(r"<sup>\s*\[?(\d{1,3})\]?\s*</sup>", r"〔\1〕", line)  # footnote markers, kept as references
    line = re.sub(r"<sup>\s*([^<]*)</sup>", r"\1", line)  # 5<sup>th</sup> -> 5th
    line = re.sub(r"<[^>]{1,200}>", " ", line)
    line = re.sub(r"\[\^(\d{1,3})\](?!:)", r"〔\1〕", line)  # [^12]
    line = re.sub(r"^\s*\[\^(\d{1,3})\]:\s*", r"\1. ", line)  # [^12]: the note
    line = re.sub(r"\[\d{1,3}\]", "", line)  # [12]
    line = re.sub(r"[\u00b9\u00b2\u00b3\u2070-\u2079]+", "", line)  # superscript digits
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links
    line = line.replace("\\*", "").replace("\\_", "_").replace("\\", "")
    line = re.sub(r"\*\*|__|(?<!\w)\*|\*(?!\w)|(?<=\w)\*(?=\w)", "", line)
    line = re.sub(r"^\s{0,3}#{1,6}\s*", "", line)
    line = re.sub(r"^\s*>\s?", "", line)
    line = URL.sub(lambda m: " " * len(m.group()), line)
    return line


@dataclass
class Block:
    text: str
    starts: list[tuple[int, int]]  # (offset in text, line number)
    heading: bool = False
    card: bool = False

    def line_at(self, offset: int) -> int:
        line = self.starts[0][1]
        for start, number in self.starts:
            if start <= offset:
                line = number
            else:
                break
        return line


def blocks(lines: list[str], markdown: bool, one_per_line: bool = False) -> list[Block]:
    """Paragraphs: runs of non-blank lines (in Markdown, headings and list items stand alone; with
    one_per_line, as for a .docx, every line is a paragraph)."""
    out: list[Block] = []
    current: Block | None = None
    in_comment = False
    for number, raw in enumerate(lines, start=1):
        line = raw
        if in_comment:
            if "-->" in line:
                line, in_comment = line.split("-->", 1)[1], False
            else:
                continue
        line = re.sub(r"<!--.*?-->", " ", line)
        if "<!--" in line:
            line, in_comment = line.split("<!--", 1)[0], True
        heading = markdown and bool(re.match(r"^\s{0,3}#{1,6}\s", line))
        item = markdown and bool(re.match(r"^\s*(?:[-*+]\s|\d{1,3}[.)]\s)", line))
        text = clean_line(line).strip()
        if not text:
            current = None
            continue
        if current is None or one_per_line or heading or item or current.heading or _is_card(current.text) or _is_card(text):
            current = Block(text, [(0, number)], heading=heading)
            out.append(current)
        else:
            if current.text.endswith("-") and text[:1].islower():
                current.starts.append((len(current.text) - 1, number))
                current.text = current.text[:-1] + text
            else:
                current.starts.append((len(current.text) + 1, number))
                current.text += " " + text
    for block in out:
        block.card = _is_card(block.text)
    return out


def _is_card(text: str) -> bool:
    """A headline number standing alone ('35.9 millions', '59%', '5th'), as on a report's figures page."""
    return bool(re.fullmatch(rf"[$€£]?\s?\d[\d.,{_SPACES} ]*\s?(%|millions?|milliards?|billions?|th|st|nd|rd|e|ème|x)?",
                             text.strip()))


_ABBREV = re.compile(r"(?i)(?:\b(?:p|pp|no|nos|n°|dr|mr|mrs|ms|m|mme|st|vs|cf|art|e\.g|i\.e|etc|al|fig|vol|ch|approx|"
                     r"inc|ltd|co|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)|\b[A-Z]|\b(?:[A-Z]\.){1,3}[A-Z])$")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph (a full stop after an abbreviation or a digit does not end one)."""
    spans, start = [], 0
    for m in re.finditer(r"[.!?…]+[\"'’”»)]*(?=\s+[\"'‘“«(]?[A-ZÀ-Ý0-9])", text):
        before = text[start:m.start()]
        if _ABBREV.search(before):
            continue
        spans.append((start, m.end()))
        start = m.end()
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# --- finding numbers in a sentence --------------------------------------------------------------


@dataclass
class Number:
    start: int
    end: int
    printed: str
    value: float
    qualifier: str
    decimals: int
    kind: str
    unit: str = ""


def _parse_digits(text: str, lang: str, scaled: bool) -> tuple[float, int]:
    t = re.sub(f"[{_SPACES} ]", "", text)
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", t):
        return float(t.replace(".", "")), 0
    if "," in t and "." in t:
        t = t.replace(",", "")
    elif "," in t:
        groups = t.split(",")
        thousands = all(len(g) == 3 for g in groups[1:])
        if thousands and (len(groups) > 2 or lang == "en") and not (scaled and lang == "fr"):
            t = t.replace(",", "")
        else:
            t = t.replace(",", ".")
    decimals = len(t.split(".")[1]) if "." in t else 0
    return float(t), decimals


def _qualifier(before: str, after: str) -> tuple[str, str, str]:
    """(qualifier, the words that say it, 'before' or 'after') from the text around a number."""
    for rx, q in _QUAL_BEFORE:
        m = rx.search(before[-40:])
        if m:
            return q, m.group(1), "before"
    for rx, q in _QUAL_AFTER:
        m = rx.search(after[:30])
        if m:
            return q, m.group(1), "after"
    return "exact", "", ""


def _unit_after(text: str) -> str:
    """The measure named by the first unit word in the next few words."""
    t = fold_keep(text[:80])
    t = re.split(r"[.;:!?()\[\]]|,\s", t, maxsplit=1)[0]
    # the noun the number counts is the first unit word or phrase after it: in 'reports concerning
    # AI-generated images', reports (a later word qualifies them)
    phrase_at = min(((len(t[:i].split()), unit) for phrase, unit in _PHRASES if 0 <= (i := t.find(phrase))
                     and len(t[:i].split()) <= 4), default=None)
    words = re.findall(r"[\w'’€$£-]+|[€$£]", t)
    for k, word in enumerate(words[:5]):
        if phrase_at is not None and phrase_at[0] <= k:
            return phrase_at[1]
        w = re.sub(r"^(?:d|l|qu)['’]", "", word).strip("'’-")
        if k >= 2 and UNIT_WORDS.get(w) in TIME_UNITS and (words[k - 1].isdigit() or words[k - 1] in _ALL_WORDS_LOWER):
            return ""  # '74 en six mois': the months are the span's, not what 74 counts
        if k and words[k - 1] in ("per", "a", "an", "every", "each", "par", "chaque") and UNIT_WORDS.get(w) in TIME_UNITS:
            continue  # '14 per day': a rate, not a duration
        if w in UNIT_WORDS:
            return UNIT_WORDS[w]
        if "-" in w and w.rsplit("-", 1)[1] in UNIT_WORDS:
            return UNIT_WORDS[w.rsplit("-", 1)[1]]
    return phrase_at[1] if phrase_at is not None else ""


_PHRASES = sorted(UNIT_PHRASES.items(), key=lambda kv: -len(kv[0]))


def fold_keep(text: str) -> str:
    """Lower case, keeping accents (the unit vocabulary has them)."""
    return text.lower().replace("’", "'")


def _of_unit(after: str) -> str:
    """'% of CSAM' / '% des répondants' -> the measure of the base."""
    if re.match(r"(?i)^\s*(?:of|de|d['’]|among|parmi)\s+(?:these|those|ces|celles?-ci|ceux-ci)\b", after):
        return ""  # '97 per cent of these reports': the measure of the figure referred to, whatever word repeats it
    m = re.match(r"(?i)^\s*(?:of|des|de|du|d['’]|among|parmi)\s+(?:the\s+|all\s+|les\s+|l['’])?(.*)", after)
    return _unit_after(m.group(1)) if m else ""


def numbers_in(sentence: str, lang: str, *, strict: bool = True) -> list[Number]:
    """Every number of a sentence that states a statistic (strict) or every number (not strict)."""
    found: list[Number] = []
    taken: list[tuple[int, int]] = []
    masked = _mask_non_claims(sentence)

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    def add(n: Number) -> None:
        if free(n.start, n.end):
            found.append(n)
            taken.append((n.start, n.end))

    # Multiples in words: tripled, a doublé ...
    for m in _FOLD_RE.finditer(sentence):
        word = m.group(1).lower()
        if word in ("double", "triple") and not re.match(r"(?i)\s+(?:the|le|la|les|en|their|its|leur)\b", sentence[m.end():]):
            continue
        qual, said, where = _qualifier(sentence[:m.start(1)], "")
        start = _said_start(sentence, said, m.start(1)) if where == "before" else m.start(1)
        add(Number(start, m.end(1), sentence[start:m.end(1)], float(FOLD_WORDS[word]), qual, 0, "fold"))
    # Multiples in digits: x2, ×3
    for m in re.finditer(r"(?<![\w.,])[x×]\s?(\d+(?:[.,]\d+)?)(?![\w%])", sentence):
        value, decimals = _parse_digits(m.group(1), lang, False)
        qual, said, where = _qualifier(sentence[:m.start()], "")
        start = _said_start(sentence, said, m.start()) if where == "before" else m.start()
        add(Number(start, m.end(), sentence[start:m.end()], value, qual, decimals, "fold"))
    # Ratios: 1 in 8, one in five, 1 sur 10
    for m in _RATIO_RE.finditer(sentence):
        a = 1.0 if not m.group(1).isdigit() else float(m.group(1))
        b_text = m.group(2).lower()
        b = float(b_text) if b_text.isdigit() else float(_ALL_WORDS.get(b_text, 0))
        if b and a < b and masked[m.start()] != "\0":
            add(Number(m.start(), m.end(), m.group(), 100 * a / b, "exact", 1, "percent"))
    # Vague quantities and fractions in words
    for m in _VAGUE_RE.finditer(sentence):
        word = m.group(1).lower()
        v, q, kind = VAGUE[word]
        after = sentence[m.end(1):]
        if re.search(r"\d[\s\u00a0\u202f]*$", sentence[:m.start(1)]):
            continue  # '36,2 millions': a scale word after digits, read with them
        if kind == "percent" and (not re.match(r"(?i)\s+(?:of|des|de|d['’]|du)\b", after)
                                  or re.match(r"(?i)\s+(?:of|de)\s+(?:the\s+|l['’])?(?:year\s+)?(?:1[89]|20)\d\d", after)
                                  or re.search(r"(?i)\b(?:first|second|premier|première|seconde?|deuxième)\s*$", sentence[:m.start(1)])):
            continue
        if kind == "count" and not re.match(r"(?i)\s+(?:of|de|d['’])\b", after) and not _unit_after(after):
            continue
        qual, said, where = _qualifier(sentence[:m.start(1)], after)
        q2 = q if qual == "exact" else qual
        start, end = m.start(1), m.end(1)
        if where == "before":
            start = _said_start(sentence, said, start)
        elif where == "after":
            end = end + after.lower().find(said.lower()) + len(said)
        unit = _of_unit(after) if kind == "percent" else _unit_after(re.sub(r"(?i)^\s*(?:of|de|d['’])\s*", " ", after))
        add(Number(start, end, sentence[start:end], float(v), q2, 0, kind, unit))
    # Numbers in words: 'some twenty students', 'five years'
    for m in _WORDNUM_RE.finditer(sentence):
        word = m.group(1).lower()
        if word == "cent" and re.search(r"(?i)\b(?:per|pour)\s*$", sentence[:m.start(1)]):
            continue  # '97 per cent', '40 pour cent': the percent sign in words
        v = _ALL_WORDS[word]
        end = m.end(1)
        value = float(v)
        tail = re.match(r"(?i)-(one|two|three|four|five|six|seven|eight|nine)\b", sentence[end:])
        if tail and v >= 20:
            value += {"one": 1}.get(tail.group(1).lower()) or WORD_NUMBERS_EN[tail.group(1).lower()]
            end += tail.end()
        scale = re.match(r"(?i)\s+(millions?|milliards?|billions?|thousand|mille)\b", sentence[end:])
        if scale and value < 1000:  # 'three million', 'deux millions'
            value *= SCALE_VALUE.get(scale.group(1).lower(), 1e3)
            end += scale.end()
        after = sentence[end:]
        if re.match(r"(?i)-year", after):
            after = " " + after[1:]
        before = sentence[:m.start(1)]
        if re.match(r"(?i)\s+(?:premiers|derniers|first|last)\s+mois\b|\s+(?:premiers|derniers)\s+(?:jours|semaines)\b",
                    after) or re.search(r"(?i)\b(?:the\s+(?:first|last|past)|les|des|aux)\s*$", before) and \
                re.match(r"(?i)\s+(?:months|mois|weeks|semaines|days|jours)\b", after):
            continue  # 'les six premiers mois', 'the first six months': a period, not a claim
        qual, said, where = _qualifier(before, after)
        unit = _unit_after(after)
        if _band(before, after):
            continue
        if not unit and qual == "exact" and (COMPARED_WITH.search(before) or (
                re.search(r"(?i)\b(?:from|passée?s?\s+d[e'’]|de|d['’])\s*$", before)
                and re.match(r"(?i)[^.;]{0,40}?\b(?:to|à)\s+\d", after))):
            unit = "?"  # 'compared with just two', 'passé d'un million en 2012 à 32 millions': the other number's measure
        if re.match(r"(?i)\s*(?:of|d['’]entre)\s+(?:them|these|those|eux|elles)\b", after):
            unit = unit or "?"
        if not unit and qual == "exact":
            continue
        if not unit and word in ("thousand", "dozen", "hundred", "mille", "cent"):
            continue
        if unit in TIME_UNITS and (_is_span(before, sentence) or re.search(
                r"(?i)\b(?:en|in|within|over|sur|pendant|during|dans)\s+(?:the\s+(?:last|past|first)\s+|les\s+)?$", before)):
            continue  # 'en six mois', 'in five years': the span of the figure, not a claim
        start = _said_start(sentence, said, m.start(1)) if where == "before" else m.start(1)
        if where == "after":
            end = end + after.lower().find(said.lower()) + len(said)
        kind = "duration" if unit in TIME_UNITS else "count"
        if re.match(r"(?i)[- ]years?[- ]old\b", sentence[m.end(1):]):
            kind, unit = "age", "years"
        add(Number(start, end, sentence[start:end], value, qual, 0, kind, unit if unit != "?" else ""))
    # Ordinals in words or as '4e' in a ranking: 'au quatrième rang', 'the fifth largest host'
    for m in _ORDINAL_RE.finditer(sentence):
        word = m.group(1).lower()
        around = sentence[max(0, m.start() - 30):m.start()] + " " + sentence[m.end():m.end() + 50]
        if not RANK_CONTEXT.search(sentence[m.end():m.end() + 50]) and not (
                word not in ("premier", "première", "first", "1er", "1re") and RANK_WORDS.search(around)):
            continue
        value = ORDINAL_WORDS.get(word) or float(re.match(r"\d+", word).group())
        add(Number(m.start(1), m.end(1), m.group(1), float(value), "exact", 0, "rank"))
    # Digits
    for m in NUMBER.finditer(sentence):
        a, b = m.start(1), m.end(1)
        if masked[a] == "\0" or not free(a, b):
            continue
        n = _digit_claim(sentence, m, lang, strict)
        if n is not None:
            add(n)
    found.sort(key=lambda n: n.start)
    return found


_FOLD_RE = re.compile(r"(?i)(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(FOLD_WORDS, key=len, reverse=True)) + r")(?![\w-])")
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                 "ninth": 9, "tenth": 10, "premier": 1, "première": 1, "1er": 1, "1re": 1, "deuxième": 2, "troisième": 3,
                 "quatrième": 4, "cinquième": 5, "sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9, "dixième": 10}
_ORDINAL_RE = re.compile(r"(?i)(?<![\w-])(" + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)) +
                         r"|\d{1,2}(?:e|ème|eme))(?![\w-])")
# what follows an ordinal that ranks: 'rang', 'place', 'pays ... hébergeant', 'largest host'
RANK_CONTEXT = re.compile(r"(?i)^\s*(?:rang|place|position|pays\b[^.;]{0,40}(?:héberg|host)|plus\s+gros|"
                          r"(?:largest|biggest|worst)\b|host|dans\s+le\s+monde|au\s+monde|in\s+the\s+world)")
# A change the sentence states against the period before, without printing its year.
VERSUS_PREVIOUS = re.compile(r"(?i)\b(?:(?:than|from|on|over|compared\s+(?:with|to))\s+the\s+(?:previous|preceding|prior)\s+"
                             r"(?:year|period)|year[- ]on[- ]year|year[- ]over[- ]year|on\s+a\s+year\s+earlier|"
                             r"(?:par\s+rapport\s+à|sur)\s+l['’](?:année|an)\s+(?:précédente|dernière|dernier|passée?)|"
                             r"sur\s+un\s+an|en\s+un\s+an|d['’]une\s+année\s+sur\s+l['’]autre)\b")
BASE_YEAR = re.compile(r"(?i)\b(?:(?:increase|rise|growth|jump|drop|fall|decline|decrease|up|down)\s+(?:from|on|over)|"
                       r"compared\s+(?:with|to)|par\s+rapport\s+à|versus|vs\.?)\s+(?:the\s+|l['’]année\s+|en\s+)?"
                       r"((?:19|20)\d\d)\b(?!\s*(?:to|à|and|et|-|–)\s*(?:19|20)\d\d)")
# Where a sentence turns to the figure it compares with: each side has its own period.
_COMPARE = r"compared\s+(?:with|to)|against|versus|vs\.?|up\s+from|down\s+from|contre|par\s+rapport\s+à"
COMPARISON_CLAUSE = re.compile(rf"(?i),?\s\b(?:{_COMPARE}|alors\s+qu['’]|whereas|while)\b")
COMPARED_WITH = re.compile(rf"(?i)\b(?:{_COMPARE}|face\s+à)\s+(?:only\s+|just\s+|seulement\s+|à\s+peine\s+)?$")
_ALL_WORDS = {**WORD_NUMBERS_FR, **WORD_NUMBERS_EN}
_ALL_WORDS_LOWER = set(_ALL_WORDS)
_RATIO_RE = re.compile(r"(?i)(?<![\w.,])(\d+|one|un|une)\s+(?:in|out of|sur)\s+(\d+|" +
                       "|".join(w for w in _ALL_WORDS if " " not in w) + r")(?![\w.,])")
_VAGUE_RE = re.compile(r"(?i)(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(VAGUE, key=len, reverse=True)) + r")(?![\w-])")
_WORDNUM_RE = re.compile(r"(?i)(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(_ALL_WORDS, key=len, reverse=True)) + r")(?![\w])")


def _said_start(sentence: str, said: str, at: int) -> int:
    i = sentence.lower().rfind(said.lower(), 0, at)
    return i if i >= 0 else at


_NUMWORD = r"(?:\d+(?:[.,]\d+)?|" + "|".join(w for w in sorted(_ALL_WORDS, key=len, reverse=True) if " " not in w) + ")"


def _band(before: str, after: str) -> bool:
    """Part of a range such as an age band ('aged between seven and ten', '10 to 14-year-olds', '7 to 10 years')."""
    word = _NUMWORD
    if re.search(r"(?i)\b(?:between|from|entre|de|aged|âgée?s?)\s*$", before) and re.match(rf"(?i)^\s*(?:and|to|et|à|-|–)\s*{word}", after):
        return True
    if re.search(rf"(?i)\b(?:between|from|entre|de|aged|âgée?s?)\s+{word}\s*(?:and|to|et|à|-|–)\s*$", before):
        return True
    if re.match(rf"(?i)^\s*(?:to|-|–|à)\s*{word}[- ](?:years?[- ]olds?|ans)\b", after):
        return True
    return bool(re.search(rf"(?i){word}\s*(?:to|-|–|à)\s*$", before) and re.match(r"(?i)^[- ]years?[- ]olds\b", after))


def _is_span(before: str, sentence: str) -> bool:
    """'an increase of 12,000% in ten years': the span of a change, not a claim."""
    return bool(re.search(r"(?i)\b(?:in|over|within|en|sur)\s+(?:the\s+(?:past|last)\s+)?$", before)
                and (re.search(rf"(?i)\b(?:{CHANGE_UP}|{CHANGE_DOWN})\b|%", sentence) or _FOLD_RE.search(sentence)
                     or re.search(r"(?<![\w.,])[x×]\s?\d", sentence)))


def _mask_non_claims(sentence: str) -> str:
    """The sentence with dates, year ranges, phone numbers, identifiers and the like blanked out ('\\0')."""
    chars = list(sentence)

    def blank(a: int, b: int) -> None:
        for i in range(a, b):
            chars[i] = "\0"

    for m in re.finditer(r"〔\d+〕", sentence):
        blank(m.start(), m.end())
    for rx in DATE_RES:
        for m in rx.finditer(sentence):
            blank(m.start(), m.end())
    for m in re.finditer(r"(?<![\d,.])(1[89]\d\d|20\d\d)\s?[-–/]\s?(1[89]\d\d|20\d\d|\d\d)(?![\d%])", sentence):
        blank(m.start(), m.end())  # 2022-2023, 2018/19
    for m in PHONE.finditer(sentence):
        blank(m.start(), m.end())
    for m in POSTCODE.finditer(sentence):
        if not re.match(r"\s+(?:[A-ZÉ][a-zé]+\s)?(?:reports?|signalements?|images?|victims?|victimes?)", sentence[m.end():]):
            blank(m.start(), m.end())
    for m in re.finditer(r"\b\d+(?:[-–]\d+){2,}\b|\b\d+-(?:[A-Za-z]\b)|\b\d+\s?[hH:]\s?\d\d\b|\b\d+/\d+\b", sentence):
        blank(m.start(), m.end())  # 226-8-1, 5-B, 10:30, 24/7
    for m in re.finditer(r"(?<=[A-Za-zÀ-ÿ])\d+(?:[.,]\d+)?", sentence):
        if sentence[m.start() - 1] not in "xX×" or (m.start() >= 2 and sentence[m.start() - 2].isalpha()):
            blank(m.start(), m.end())  # G7, COVID-19 handled below, footnote glued to a word
    for m in re.finditer(r"(?i)\b[A-Z]{1,10}-\d+\b|\b(?:GPT|H|Q|S)\d\b", sentence):
        blank(m.start(), m.end())
    return "".join(chars)


def _digit_claim(sentence: str, m: re.Match, lang: str, strict: bool) -> Number | None:
    a, b = m.start(1), m.end(1)
    digits = m.group(1)
    before, after = sentence[:a], sentence[b:]
    scale = SCALE.match(after)
    value, decimals = _parse_digits(digits, lang, bool(scale))
    end = b
    kind, unit = "count", ""
    if scale and not re.match(r"(?i)^\s?(?:mds?|k)\b", after) or (scale and re.match(r"(?i)^\s?k\b", after) and digits.isdigit()):
        factor = SCALE_VALUE[scale.group(1).lower()]
        value *= factor
        decimals -= round(math.log10(factor))  # '40 millions' is printed to the million, '36.2 millions' to 100,000
        end = b + scale.end()
        after = sentence[end:]
    elif scale:
        scale = None
    if re.match(r"(?i)^\s?(?:fold|-fold|times|fois|x|×)\b|^\s?[x×](?!\w)", after) and not PERCENT.match(after):
        fm = re.match(r"(?i)^\s?(-?fold|times|fois|[x×])", after)
        word = fm.group(1).lower()
        if word in ("times", "fois") and not re.match(r"(?i)^\s?(?:times|fois)\s+(?:more|higher|as many|larger|greater|plus|"
                                                     r"moins|bigger|the number)", after):
            return None
        end += fm.end()
        return Number(a, end, sentence[a:end], value, "exact", decimals, "fold")
    fb = FOLD_BEFORE.search(before)
    if fb:
        return Number(fb.start(), b, sentence[fb.start():b], value, "exact", decimals, "fold")
    pct = PERCENT.match(after)
    pts = POINTS.match(after) if not pct else None
    money_before = CURRENCY_BEFORE.search(before)
    money_after = CURRENCY_AFTER.match(after)
    ordinal = ORDINAL.match(after)
    age = AGE_AFTER.match(after) or (AGE_BEFORE.search(before) and not pct)
    qual, said, where = _qualifier(before, after[(pct.end() if pct else 0):])
    start = a
    if where == "before":
        start = _said_start(sentence, said, a)
    is_year = bool(YEAR_RE.fullmatch(digits)) and not (scale or pct or money_before or money_after)
    if pct:
        end += pct.end()
        kind = "percent"
        rest = sentence[end:]
        cb = _CHANGE_BEFORE.search(before[-60:])
        ca = _CHANGE_AFTER.match(rest)
        if cb or ca:
            kind = "change"
            if (cb and cb.group("down")) or (ca and ca.group("down")):
                value = -value
        else:
            unit = _of_unit(rest)
    elif pts and re.match(r"(?i)^\s?(?:percentage|points? de pourcentage|pp\b)", after):
        end += pts.end()
        kind = "pp"
    elif money_before or money_after:
        kind = "money"
        if money_before:
            start = min(start, money_before.start())
            unit = UNIT_WORDS.get(money_before.group(1).strip().lower().replace("us$", "$"), "dollars")
        else:
            end += money_after.end()
            unit = UNIT_WORDS.get(fold_keep(money_after.group(1)).split()[0], "euros")
    elif ordinal and not re.match(r"(?i)^\w*\s+(?:century|siècle|edition|édition|anniversary|anniversaire)", after):
        if strict and not RANK_WORDS.search(sentence):
            return None
        end += ordinal.end()
        kind = "rank"
    elif age:
        kind, unit = "age", "years"
        if AGE_AFTER.match(after):
            end += AGE_AFTER.match(after).end()
        if _band(before, after):
            return None  # an age band describes who is counted, it is not a claim
    else:
        if is_year:
            return None
        unit = _unit_after(after)
        if _band(before, after) and (unit in TIME_UNITS or re.search(r"(?i)\baged?\b|âgé", before[-40:])):
            return None
        if unit in TIME_UNITS:
            kind = "duration"
            if re.match(r"(?i)^[- ]?years?[- ]old", after) or re.search(r"(?i)\b(?:age|âge)\b[^.;]{0,50}$", before):
                kind = "age"
        partitive = re.match(r"(?i)^\s*(?:of (?:these|them|those|which|whom|the)|d['’]entre (?:eux|elles)|parmi|dont)\b", after)
        # '18 laboratories', '18 Human and Social Sciences laboratories' (a capitalised name before the noun)
        noun = re.match(r"^\s?(?:[A-ZÀ-Ý][a-zà-ÿ]+ (?:(?:and|et|&) )?){0,4}(?:[a-zà-ÿ]+[- ])?([a-zà-ÿ]{3,}(?:s|x))\b", after)
        noun = noun and fold(noun.group(1)) not in STOP and not noun.group(1).endswith("ss")
        large = value >= 1000 and not is_year  # '16 987 361 en 2019': a large count needs no unit word to be a claim
        rate = re.match(r"(?i)^\s*(?:[a-zà-ÿ]+\s+)?(?:per|a|every|each|par|chaque)\s+(?:day|week|month|year|jour|semaine|mois|an|"
                        r"année)\b", after)
        # 'elle en a déjà reçu 74': the pronoun 'en' stands for the noun counted before
        pronoun = re.search(r"(?i)\ben\s+(?:a|ont|avait|avaient|aura|auront|compte|comptait|recense|dénombre)\b[^.;,\d]{0,25}$",
                            before)
        # 'against 51 in 2023', 'Among these reports, 193 involved': the measure of the figure it is set against or part of
        referred = COMPARED_WITH.search(before) or re.search(
            r"(?i)\b(?:among|of|parmi|dont)\s+(?:these|them|those|ces|eux|elles)\b[^.;\d]{0,30}$", before)
        if strict and not (unit or scale or qual != "exact" or partitive or noun or large or rate or pronoun or referred):
            return None
        if strict and re.match(r"^\s*(?:[-*•]\s*)?$", before) and re.match(r"^\s+[A-ZÀ-Ý]", after):
            return None  # '61 At an international level': a contents or list entry
        if kind == "duration" and _is_span(before, sentence):
            return None
    if SKIP_BEFORE.search(before) and kind in ("count", "duration") and not said:
        return None
    if where == "after":
        i = sentence.lower().find(said.lower(), end)
        if 0 <= i < end + 30:
            end = i + len(said)
    if kind in ("count", "money") and not scale and decimals == 0 and qual == "exact" and value >= 1000 and value % 1000 == 0:
        qual = "rounded"  # 318,000 printed to the thousand

    if kind == "percent" and qual == "exact" and decimals == 0 and value >= 1000 and value % 1000 == 0:
        qual = "rounded"
    if kind == "change" and qual == "exact" and decimals == 0 and abs(value) >= 1000 and value % 1000 == 0:
        qual = "rounded"
    return Number(start, end, sentence[start:end], value, qual, decimals, kind, unit)


# --- the claims of a document -------------------------------------------------------------------


def _years(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.group(1) for m in YEAR_RE.finditer(text) if not re.match(r"\s?(?:%|reports|euros)",
                                                                                          text[m.end():m.end() + 8])))


def _dates(text: str) -> tuple[str, ...]:
    out = []
    for m in DATE_RES[0].finditer(text):
        out.append(f"{m.group(3)}-{MONTH_NUMBER[m.group(2).lower()]:02d}-{int(m.group(1)):02d}")
    for m in DATE_RES[1].finditer(text):
        out.append(f"{m.group(3)}-{MONTH_NUMBER[m.group(1).lower()]:02d}-{int(m.group(2)):02d}")
    for m in DATE_RES[2].finditer(text):
        out.append(f"{m.group(2)}-{MONTH_NUMBER[m.group(1).lower()]:02d}")
    return tuple(dict.fromkeys(out))


_GEO_NAMES: dict[str, str] = {}


def _geo_names() -> dict[str, str]:
    if not _GEO_NAMES:
        import pycountry

        import gettext

        # French names from pycountry's own translations ('Russie, Fédération de' -> also 'Russie')
        french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                name = getattr(country, attr, None)
                if not name:
                    continue
                for variant in {name, french.gettext(name)}:
                    for form in {variant, variant.split(", ")[0], variant.split(" (")[0]}:
                        if len(form) > 3:
                            _GEO_NAMES.setdefault(fold(form), country.alpha_3)
        _GEO_NAMES.update({fold(k): v for k, v in GEO_WORDS.items()})
    return _GEO_NAMES


# An organisation's name is not a place: 'the US National Center for Missing & Exploited Children'
# does not make a number American.
_NOT_A_PLACE = re.compile(r"(?i)\b(?:U\.?S\.?|American)\s+(?=National\s+Cent(?:er|re)\s+for\s+Missing)")


def geographies(text: str) -> tuple[str, ...]:
    """Places a text names, as ISO 3166-1 alpha-3 codes or aggregates (EU27, EUR, WLD)."""
    names = _geo_names()
    text = _NOT_A_PLACE.sub(" ", text)
    text = re.sub(r"\bU\.S\.(?:A\.)?", "USA", text)
    words = re.findall(r"[\w'’-]+", text)
    folded = [fold(w) for w in words]  # folding is per character, so words can be folded once
    out = []
    i = 0
    while i < len(words):
        for n in (4, 3, 2, 1):
            chunk = words[i:i + n]
            key = " ".join(folded[i:i + n])
            if len(chunk) == n and key in names:
                if n == 1 and key in ("us", "uk", "eu", "ue") and chunk[0] != chunk[0].upper():
                    continue
                out.append(names[key])
                i += n - 1
                break
        i += 1
    return tuple(dict.fromkeys(out))


def _scope(sentence: str, at: int) -> str:
    """The region a rank is within: 'in Europe' -> EUR, 'in the EU' -> EU27, 'in the world' -> WLD."""
    m = re.match(r"(?i)^\w*\s+(?:place\s+)?(?:in|en|au|dans|of)\s+(?:the\s+|l['’]|le\s+|la\s+)?(europe|eu|ue|european union|"
                 r"union européenne|world|monde)\b", sentence[at:])
    if not m:
        return ""
    return {"europe": "EUR", "world": "WLD", "monde": "WLD"}.get(m.group(1).lower(), "EU27")


def find_claims(lines: list[str], lang: str | None = None, markdown: bool = True, one_per_line: bool = False,
                today: date | None = None) -> list[Claim]:
    """Every statistical claim of a document given as lines; `today`: the text's date, against
    which 'this year' or 'the same period last year' are resolved (its dateline when None)."""
    from analysis.checker.periods import dateline, periods_in

    text_all = "\n".join(lines)
    lang = lang or detect_language(text_all)
    today = today or dateline(text_all)
    paragraphs = blocks(lines, markdown, one_per_line)
    notes = {}
    for p in paragraphs:
        m = re.match(r"^(\d{1,3})\.\s+(.{8,})", p.text)
        if m:
            notes.setdefault(m.group(1), m.group(2))
    claims: list[Claim] = []
    section_orgs: list[tuple[str, ...]] = []
    section_geos: list[tuple[str, ...]] = []
    section_notes: list[str] = []
    for i, block in enumerate(paragraphs):
        if block.heading:
            section_orgs, section_geos, section_notes = [], [], []
        context = block.text
        if block.card:  # a headline number: its description is the next paragraph
            nxt = next((p for p in paragraphs[i + 1:i + 2] if not p.heading), None)
            if nxt is not None:
                context = block.text + " " + nxt.text
        block_orgs = organisations(context)
        block_geos = geographies(context)
        earlier = () if block.card else tuple(dict.fromkeys(o for orgs in section_orgs[-3:] for o in orgs))
        earlier_geos = () if block.card else tuple(dict.fromkeys(g for geos in section_geos[-2:] for g in geos))
        carried: tuple[str, ...] = ()  # the periods of the paragraph's last sentence that stated one
        block_years = _years(block.text)  # once per paragraph: per number, a long paragraph is read quadratically
        for s, e in sentences(block.text):
            sentence = block.text[s:e]
            before_sentence = carried
            stated = periods_in(sentence, today, before=carried[-1] if carried else None)
            if stated:
                periods = tuple(dict.fromkeys(p.period for p in stated))
                period_from = "relative" if any(p.how == "relative" for p in stated) else "sentence"
                cuts = [m.start() for m in COMPARISON_CLAUSE.finditer(sentence)]
                main = [p.period for p in stated if not cuts or p.start < cuts[0]]
                carried = tuple(dict.fromkeys(main)) or periods  # what 'these reports' next refers to
            else:
                periods, period_from = carried, "paragraph" if carried else ""
                cuts = []
            full = context if block.card else sentence
            found = numbers_in(sentence, lang) if not block.card else numbers_in(sentence, lang, strict=False)
            if LIST_START.match(sentence) and s == 0:
                lead = LIST_START.match(sentence).end()
                found = [n for n in found if not (n.start < lead and re.match(r"\s*(?:[-*•]\s*)?\d", sentence[n.start - 1:n.start + 1] or "0"))]
            if not found:
                continue
            refs = re.findall(r"〔(\d+)〕", full) or re.findall(r"〔(\d+)〕", block.text[e:e + 400])[:1]
            cited = " ".join(notes.get(r, "") for r in refs)
            earlier_notes = "" if block.card or cited else " ".join(section_notes[-1:])
            orgs = tuple(dict.fromkeys(organisations(full) + organisations(cited)))
            cited_years = _years(cited or earlier_notes)
            geos = geographies(full)
            years = _years(_strip_numbers(full, found) if not block.card else full)
            if period_from in ("relative", "paragraph"):  # a year the sentence means without printing it
                years = tuple(dict.fromkeys(years + tuple(p[:4] for p in periods)))
            for n in found:
                if block.card:
                    n, rate = _card_number(n, context, block.text)
                else:
                    rate = _rate(sentence, n)
                n_periods, n_from, n_years = periods, period_from, years
                if cuts and stated:  # '1,286 videos this year, compared with just two in 2024': each clause its period
                    bounds = [0, *cuts, len(sentence)]
                    k = next(j for j in range(len(bounds) - 1) if bounds[j] <= n.start < bounds[j + 1])
                    own = tuple(dict.fromkeys(p.period for p in stated if bounds[k] <= p.start < bounds[k + 1]))
                    if own:
                        n_periods, n_from = own, "sentence"
                    elif k == 0 and before_sentence:
                        n_periods, n_from = before_sentence, "paragraph"
                    if own or (k == 0 and before_sentence):
                        n_years = tuple(dict.fromkeys(p[:4] for p in n_periods))
                if n.kind not in ("change", "fold") and len(set(years)) >= 2 and not cuts:
                    # '3,000 reports in 1998, rising to ... 36.2 million in 2023': the year next to the number is its own
                    own_year = _own_year(sentence, n, found)
                    if own_year:
                        n_years = (own_year,)
                        n_periods = tuple(p for p in n_periods if p[:4] == own_year) or (own_year,)
                if n.kind not in ("change", "fold") and (base := BASE_YEAR.search(sentence)) and base.group(1) in n_years:
                    # 'a 5% increase from 2022' dates the change's start, not the level beside it
                    n_years = tuple(y for y in n_years if y != base.group(1))
                    n_periods = tuple(p for p in n_periods if p[:4] != base.group(1))
                unit = n.unit
                window = full[max(0, n.start - 120):n.end + 120] if not block.card else context
                shown = re.sub(r"\s*〔\d+〕", "", context if block.card else sentence).strip()
                claims.append(Claim(
                    line=block.line_at(s + n.start), sentence=shown, cited=cited,
                    value_printed=n.printed.strip(), value=n.value, qualifier=n.qualifier, decimals=n.decimals,
                    kind=n.kind, unit=unit, rate=rate, years=n_years, dates=_dates(full), orgs=orgs,
                    context_orgs=tuple(dict.fromkeys(block_orgs + earlier + organisations(earlier_notes))), geos=geos,
                    cited_years=cited_years, context_cited=earlier_notes,
                    context_geos=tuple(dict.fromkeys(block_geos + earlier_geos)), context_years=block_years,
                    since=_since(full), span=_span(full), cumulative=bool(CUMULATIVE.search(full)), scope=_scope(full, full.find(n.printed) + len(n.printed))
                    if n.kind == "rank" else "", window=window, lang=lang, start=n.start,
                    periods=n_periods if not YEAR_RE.fullmatch(n.printed.strip()) else (), period_from=n_from,
                    versus_previous=bool(VERSUS_PREVIOUS.search(sentence)),
                    base_year=(m.group(1) if n.kind in ("change", "fold") and (m := BASE_YEAR.search(sentence)) else "")))
        if block_orgs and not block.card:
            section_orgs.append(block_orgs)
        block_refs = re.findall(r"〔(\d+)〕", block.text)
        if block_refs and not block.card and not LIST_START.match(block.text):
            section_notes.append(notes.get(block_refs[-1], ""))
        if block_geos and not block.card:
            section_geos.append(block_geos)
    return claims


def _own_year(sentence: str, n: Number, found: list[Number]) -> str:
    """The year printed right after the number ('3,000 reports in 1998') or right before it ('in 1998,
    3,000'), with no other number between; '' when none is that close."""
    others = [m for m in found if m is not n]
    after = sentence[n.end:n.end + 40]
    for m in YEAR_RE.finditer(after):
        if not any(n.end <= o.start < n.end + m.start() for o in others):
            return m.group(1)
        break
    before = sentence[max(0, n.start - 25):n.start]
    years = list(YEAR_RE.finditer(before))
    if years:
        start = n.start - len(before) + years[-1].start()
        if not any(start < o.start < n.start for o in others):
            return years[-1].group(1)
    return ""


def _strip_numbers(text: str, found: list[Number]) -> str:
    """The sentence without its claim numbers (so '2000 reports' is not read as a year)."""
    out = text
    for n in sorted(found, key=lambda n: -n.start):
        if n.kind in ("count", "money") and YEAR_RE.fullmatch(n.printed.strip()):
            out = out[:n.start] + " " * (n.end - n.start) + out[n.end:]
    return out


def _card_number(n: Number, context: str, own: str) -> tuple[Number, str]:
    """A headline number read with its description: the same number in the description gives its
    kind, unit, qualifier and rate; otherwise the description's first words give the unit."""
    desc = context[len(own):].strip()
    again = re.search(rf"(?<![\d.,]){re.escape(n.printed.strip())}(?![\d])", desc)
    if again:
        match = next((x for x in numbers_in(desc, "en", strict=False) if x.start <= again.start() < x.end), None)
        if match is not None:
            return (Number(n.start, n.end, n.printed, match.value, match.qualifier, match.decimals, match.kind,
                           match.unit), _rate(desc, match))
    if n.kind == "percent":
        return Number(n.start, n.end, n.printed, n.value, n.qualifier, n.decimals, n.kind, _of_unit(desc)), ""
    if n.kind == "money":
        return n, _rate(desc, None)
    unit = _unit_after(re.sub(r"(?i)^(?:millions?|milliards?|billions?)\s+", "", desc)) or _unit_after(desc)
    return Number(n.start, n.end, n.printed, n.value, n.qualifier, n.decimals, n.kind, unit), _rate(desc, None)


def _rate(sentence: str, n: Number | None) -> str:
    """'871 reports ... every day' -> 'day'; looks in the clause after the number, then before it."""
    if n is None:
        clause = re.split(r"[;:]", sentence, maxsplit=1)[0]
    else:
        # the rate words belong to the nearest number: '318 000 reports, or 870 a day' (870's, not 318 000's)
        tail = re.split(r"[;:]|\d", sentence[n.end:], maxsplit=1)[0]
        head = re.split(r"[;:,]|\d", sentence[:n.start])[-1]
        clause = head + " " + tail
    for rx, rate in _RATE_RES:
        if rx.search(clause):
            if rate == "year" and re.search(r"(?i)\ba year\b", clause) and not re.search(r"(?i)(per|a) year\b(?! ago)", clause):
                continue
            return rate
    return ""


CUMULATIVE = re.compile(r"(?i)\bsince\s+(?:its|their|the)\s+(?:creation|launch|founding|foundation|inception|start)\b|"
                        r"\bcumulative(?:ly)?\b|\bcumul\w*|"  # 'in total', 'au total': the sum of parts just named
                        r"\bdepuis\s+(?:sa|leur|son)\s+(?:création|lancement|fondation)\b")


def _since(text: str) -> str:
    m = re.search(r"(?i)\b(?:since|depuis)\s+(?:the\s+year\s+|l['’]année\s+)?(1[89]\d\d|20\d\d)\b", text)
    return m.group(1) if m else ""


NUMBER_WORDS_SPAN = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                     "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "dix": 10, "twenty": 20, "vingt": 20}


def _span(text: str) -> int:
    """'in ten years', 'over the past 5 years', 'en dix ans' -> number of years a change spans."""
    m = re.search(r"(?i)\b(?:in|over|within|across|en|sur)\s+(?:the\s+(?:past|last)\s+|les\s+|(?:the\s+)?)(\d+|\w+)\s+"
                  r"(?:years|ans|années)\b", text)
    if not m:
        return 0
    word = m.group(1).lower()
    return int(word) if word.isdigit() else NUMBER_WORDS_SPAN.get(word, 0)


def printed_values(text: str) -> list[float]:
    """The value(s) a short printed text stands for: '35.9 millions' -> [35900000.0]; 'half' -> [50.0]."""
    t = text.strip()
    if t.lower() in VAGUE:
        return [float(VAGUE[t.lower()][0])]
    values = [n.value for n in numbers_in(t, "en", strict=False)]
    if values:
        return values
    return [float(x.replace(",", "")) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", t)]


def claims_in_file(path: Path | str, lang: str | None = None, today: date | None = None) -> tuple[list[Claim], str]:
    """(claims, language) of a document; `today` the text's date (its dateline when None)."""
    lines, layout = read_document(path)
    lang = lang or detect_language("\n".join(lines))
    return find_claims(lines, lang, markdown=layout == "markdown", one_per_line=layout == "paragraphs", today=today), lang
