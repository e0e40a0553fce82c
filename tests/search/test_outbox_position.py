"""The outbox position: ids committed out of order are waited for, then given up on."""

from search.indexer import GAP_SECONDS, next_position


def test_ids_skipped_become_gaps_until_they_show_up():
    position = next_position({"last": 10, "gaps": {}}, [11, 13, 14], now=1000.0)
    assert position == {"last": 14, "gaps": {"12": 1000.0}}
    position = next_position(position, [12], now=1001.0)
    assert position == {"last": 14, "gaps": {}}


def test_a_gap_never_filled_is_a_rolled_back_transaction():
    position = next_position({"last": 1, "gaps": {}}, [3], now=0.0)
    assert position["gaps"] == {"2": 0.0}
    later = next_position(position, [4], now=GAP_SECONDS + 1)
    assert later == {"last": 4, "gaps": {}}
