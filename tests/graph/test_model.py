from graph.model import REL_SPECS, Label, Rel, node_key


def test_every_relationship_has_a_spec_and_conventions() -> None:
    assert set(REL_SPECS) == set(Rel)
    for rel, spec in REL_SPECS.items():
        assert rel.value == rel.value.upper() and " " not in rel.value
        assert spec.meaning
    for label in Label:
        assert label.value[0].isupper() and "_" not in label.value


def test_node_key_is_per_label() -> None:
    assert node_key("Agency", "x") != node_key("Insight", "x")
