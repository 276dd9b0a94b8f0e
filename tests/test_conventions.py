"""Conventions as tests: every published number carries its source, URL and page or table."""
from analysis import build_observations, load_sources


def test_every_observation_has_a_source_with_a_url_and_a_locator():
    obs, prov = build_observations()
    sources = load_sources()
    assert (obs["source_id"] != "").all()
    assert set(obs["source_id"]) <= set(sources.index)
    assert sources.loc[obs["source_id"].unique(), "url"].str.match(r"^https?://").all()
    assert (prov["locator"].str.strip() != "").all(), prov[prov["locator"].str.strip() == ""].head()


def test_every_secondary_source_names_what_it_quotes():
    sources = load_sources()
    secondary = sources[sources["kind"] == "secondary"]
    assert secondary["quotes"].fillna("").str.len().gt(0).all(), secondary[secondary["quotes"].isna()].index.tolist()
