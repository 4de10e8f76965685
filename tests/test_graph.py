from storylens.graph import components


def test_components_join_chains_and_keep_singletons() -> None:
    found = components(["e", "d", "c", "b", "a"], [("d", "b"), ("b", "a"), ("e", "e")])
    assert found == [["a", "b", "d"], ["c"], ["e"]]


def test_components_of_numbers_are_ordered_by_their_smallest_member() -> None:
    assert components(range(6), [(5, 3), (3, 1), (4, 2)]) == [[0], [1, 3, 5], [2, 4]]
