"""The fair rule: in order, submitters take turns, every new work before any repeat, no repeat within N."""

from lightshow.content.fair_queue import QueueEntry, next_artwork, upcoming


def entries(*submitters: str) -> list[QueueEntry]:
    return [QueueEntry(i + 1, s, i + 1) for i, s in enumerate(submitters)]


def ids(picks) -> list:
    return [p.artwork_id if p else None for p in picks]


def test_works_play_in_approval_order():
    assert ids(upcoming(entries("a", "b", "c"), [], 0, 3)) == [1, 2, 3]


def test_one_submitter_cannot_fill_the_queue():
    queue = entries("a", "a", "a", "a", "a", "b", "c")      # a sent five, b and c one each
    assert ids(upcoming(queue, [], 0, 7)) == [1, 6, 7, 2, 3, 4, 5]


def test_a_newcomer_waits_at_most_one_round():
    queue = entries("a", "a", "a", "a")
    played = [1, 2]
    queue.append(QueueEntry(5, "b", 5))
    assert next_artwork(queue, played, 0).artwork_id == 5


def test_new_works_come_before_repeats():
    queue = entries("a", "b")
    played = [1, 2, 1]
    queue.append(QueueEntry(3, "a", 3))
    assert next_artwork(queue, played, 0).artwork_id == 3


def test_no_repeat_within_n_slots():
    queue = entries("a", "b")
    picks = ids(upcoming(queue, [], 2, 4))
    assert picks == [1, 2, None, 1]          # two works cannot fill three distinct slots
    for i, pick in enumerate(picks):
        assert pick is None or pick not in picks[max(0, i - 2):i]


def test_an_empty_queue_gives_none():
    assert next_artwork([], [1, 2], 3) is None


def test_played_works_no_longer_approved_do_not_matter():
    assert next_artwork(entries("a"), [99, 98], 3).artwork_id == 1
