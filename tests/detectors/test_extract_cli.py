"""`newsmon extract`: one line per article, bad lines reported with their number, exit codes."""
from __future__ import annotations

import gzip
import json

from streams.cli import main

GOOD = {"id": "g1", "lang": "en", "title": "Mortar from Syria lands in Golan",
        "body": "A mortar shell fired from Syria landed in the Golan Heights on Friday.",
        "published_at": "2017-07-01T06:00:00Z"}
QUIET = {"id": "g2", "lang": "ar", "title": "طقس", "body": "أجواء مشمسة في دمشق اليوم."}


def test_extract_file(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in (GOOD, QUIET)) + "\n", encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    lines = [json.loads(l) for l in capsys.readouterr().out.splitlines()]
    assert [l["article_id"] for l in lines] == ["g1", "g2"]
    assert lines[0]["lang"] == "en" and lines[0]["events"] and lines[1]["events"] == []
    ev = lines[0]["events"][0]
    assert ev["article_id"] == "g1" and ev["trigger"]["text"] in GOOD["title"] + GOOD["body"]


def test_bad_line_reported_and_skipped(tmp_path, capsys):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(GOOD) + "\n{not json\n" + json.dumps({"id": "e"}) + "\n" + json.dumps(QUIET) + "\n",
                    encoding="utf-8")
    assert main(["extract", str(path)]) == 1
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 2
    assert f"{path}:2:" in err and f"{path}:3:" in err


def test_gzip_input(tmp_path, capsys):
    path = tmp_path / "in.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write(json.dumps(GOOD) + "\n")
    assert main(["extract", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["article_id"] == "g1"


def test_missing_file(tmp_path, capsys):
    assert main(["extract", str(tmp_path / "nope.jsonl")]) == 1
