"""The docs notebook runs from top to bottom in a headless kernel, and table results show as tables."""

from __future__ import annotations

from pathlib import Path

import pytest

import routes
from tests.conftest import ROOT, partnership, segment, write_dataset

NOTEBOOK = ROOT / "docs" / "walkthrough.ipynb"


def test_docs_notebook_runs(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")  # kept clean
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    html = [o["data"]["text/html"] for o in outputs if o.output_type == "execute_result" and "text/html" in o["data"]]
    assert sum("<table" in h for h in html) >= 6  # gaps, summary, paths, picks, closed gaps, export
    assert any("<iframe" in h for h in html)  # the map inline


def test_table_results_show_as_tables_and_escape_the_data(tmp_path: Path):
    from routes.recommend import recommend
    from routes.scenarios import Scenario, run_scenario

    evil = "<img src=x onerror=alert(1)>"
    folder = write_dataset(
        tmp_path / "data",
        [segment(evil, "LBY", "ITA", 2016, 100), segment(evil, "TUN", "ITA", 2016, 50)],
        [partnership("tn", ["ITA", "TUN"], name=evil)],
    )
    data = routes.load(folder)
    G = routes.build_graph(data, year=2016)
    picks = recommend(G, data, max_actions=2)
    assert isinstance(picks, list) and picks[0]["action"]  # still a list of dicts
    frame = picks.to_frame()
    assert list(frame["action"]) == [p["action"] for p in picks]
    assert "<img" not in picks._repr_html_() and "&lt;img" in picks._repr_html_()
    result = run_scenario(data, Scenario(remove=("tn",)), year=2016)
    assert isinstance(result, dict) and result["opened"][0]["origin"] == "TUN"
    assert result.frame("opened").loc[0, "destination"] == "ITA"
    page = result._repr_html_()
    assert "<h4>opened</h4>" in page and "<img" not in page
    paths = routes.path_records(G)
    assert isinstance(paths, list) and len(paths.to_frame()) == sum(len(route["paths"]) for route in paths)
    assert paths.to_frame()["break_points"].tolist() == ["LBY→ITA", ""]


@pytest.mark.parametrize("flat", [True, False])
def test_frames_keep_unknown_as_missing(flat):
    from routes._frames import RecordList

    frame = RecordList([{"a": None, "b": [1, 2]}, {"a": 3, "b": []}], columns=["a", "b"]).to_frame(flat=flat)
    assert frame["a"].isna().tolist() == [True, False]
    assert frame.loc[0, "b"] == ("1; 2" if flat else [1, 2])
