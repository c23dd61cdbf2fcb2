"""Adding bodies without editing TOML: `sources add URL` fetches the page once, shows what it
reads and writes its table; `sources import FILE.csv` writes a table per row, all or nothing;
`include = ["sources.d"]` keeps a thousand bodies as a thousand small files."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.cli import main
from flows.config import ConfigError, load_sources
from tests.http_server import Reply

PAGE = (Path(__file__).parent / "fixtures" / "history" / "fagrad-pm" / "2024-05-28.html").read_bytes()
ONE = '[sources.norprem]\nname = "NorPreM"\nurl = "https://spesialisthelsetjenesten.no/om"\nlanguage = "nb"\n'


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


@pytest.fixture
def split(tmp_path) -> Path:
    """A sources file that keeps its bodies in sources.d/."""
    (tmp_path / "sources.d").mkdir()
    sources = tmp_path / "sources.toml"
    sources.write_text('include = ["sources.d"]\n\n' + ONE, encoding="utf-8")
    return sources


def test_add_fetches_shows_and_writes_a_file_of_its_own(tmp_path, split, http_server, capsys):
    http_server.route("/om-oss/fagrad-for-persontilpassa-medisin", Reply(body=PAGE))
    url = http_server.url("/om-oss/fagrad-for-persontilpassa-medisin")
    code, out, err = run(capsys, "--sources", str(split), "sources", "add", url, "--allow-private")
    assert code == 0, err
    assert "Hilde Myhren" in out and "[nn]" in out, "it shows what it reads before writing"
    assert f"added 1 source to {tmp_path / 'sources.d' / 'fagrad-for-persontilpassa-medisin.toml'}" in out
    added = load_sources(split)["fagrad-for-persontilpassa-medisin"]
    assert (added.url, added.language, added.allow_private) == (url, "nn", True)
    assert added.name.startswith("Fagråd for persontilpassa medisin")
    assert len(http_server.requests_to("/om-oss/fagrad-for-persontilpassa-medisin")) == 1

    code, _, err = run(capsys, "--sources", str(split), "sources", "add", url, "--allow-private")
    assert code == 2 and "is tracked already, as source 'fagrad-for-persontilpassa-medisin'" in err


def test_add_appends_to_a_single_file_and_a_failed_fetch_adds_nothing(tmp_path, http_server, capsys):
    sources = tmp_path / "sources.toml"
    sources.write_text(ONE, encoding="utf-8")
    http_server.route("/radet", Reply(body=PAGE))
    code, _, err = run(
        capsys, "--sources", str(sources), "sources", "add", http_server.url("/radet"),
        "--allow-private", "--id", "radet", "--name", "Rådet", "--language", "nb",
    )
    assert code == 0, err
    assert sources.read_text(encoding="utf-8").startswith(ONE)
    assert load_sources(sources)["radet"].name == "Rådet" and load_sources(sources)["radet"].language == "nb"

    before = sources.read_text(encoding="utf-8")
    code, _, err = run(capsys, "--sources", str(sources), "sources", "add", http_server.url("/gone"), "--allow-private")
    assert code == 1 and "nothing was added" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "--sources", str(sources), "sources", "add", "http://127.0.0.1:9/x")
    assert code == 2 and "allow_private" in err, "a private address needs --allow-private, said before fetching"
    assert sources.read_text(encoding="utf-8") == before


def test_import_writes_a_file_per_row_with_ids_from_the_urls(tmp_path, split, capsys):
    bodies = tmp_path / "bodies.csv"
    bodies.write_text(
        "url,name,language\n"
        "https://www.hallerud.kommune.no/eldrerådet,Eldrerådet i Hallerud,nb\n"
        "https://www.vestdal.kommune.no/eldrerådet,\"Eldrerådet, Vestdal\",nn\n"
        "https://helse-fjordkyst.no/brukarutval/,Brukarutvalet,nn\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "--sources", str(split), "sources", "import", str(bodies))
    assert code == 0, err
    assert "added 3 sources to 3 files in" in out
    assert list(files(tmp_path / "sources.d")) == ["brukarutval.toml", "eldreradet-2.toml", "eldreradet.toml"]
    loaded = load_sources(split)
    assert loaded["eldreradet-2"].name == "Eldrerådet, Vestdal" and loaded["eldreradet-2"].language == "nn"
    assert loaded["brukarutval"].url == "https://helse-fjordkyst.no/brukarutval/"


@pytest.mark.parametrize(
    "rows, says",
    [
        ("https://a.no/x,A,nb\nhttps://b.no/y,B,en\n", "bodies.csv line 3: source 'y': key 'language' must be one of nb, nn, got 'en'"),
        ("https://a.no/x,A,nb\nftp://b.no/y,B,nb\n", "bodies.csv line 3: source 'y': key 'url' must be an http(s) URL"),
        ("https://a.no/x,A,nb\nhttps://b.no/y,,nb\n", "bodies.csv line 3: source 'y': key 'name' is missing"),
        ("https://a.no/x,A,nb\nhttps://spesialisthelsetjenesten.no/om,B,nb\n", "is tracked already, as source 'norprem'"),
        ("https://a.no/x,A,nb\nhttps://a.no/x,A again,nb\n", "bodies.csv line 3: https://a.no/x is tracked already, as source 'x'"),
    ],
)
def test_import_with_a_bad_row_names_it_and_writes_nothing(tmp_path, split, capsys, rows, says):
    bodies = tmp_path / "bodies.csv"
    bodies.write_text("url,name,language\n" + rows, encoding="utf-8")
    code, _, err = run(capsys, "--sources", str(split), "sources", "import", str(bodies))
    assert code == 2 and says in err and len(err.strip().splitlines()) == 1, err
    assert files(tmp_path / "sources.d") == {} and list(load_sources(split)) == ["norprem"]


def test_include_errors_name_the_files(tmp_path, split):
    (tmp_path / "sources.d" / "again.toml").write_text(ONE, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"again.toml: source 'norprem' is defined twice \(also in .*sources.toml\)"):
        load_sources(split)
    (tmp_path / "sources.d" / "again.toml").write_text('include = ["x"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="may hold only"):
        load_sources(split)
    split.write_text('include = ["nowhere"]\n' + ONE, encoding="utf-8")
    with pytest.raises(ConfigError, match="include 'nowhere': no such file or directory"):
        load_sources(split)
