"""The content store: durable, content-addressed, refusals leave nothing, moderation is audited."""

import os
import sqlite3
import threading

import httpx
import pytest

from lightshow.queue.content_store import ContentStore, RateLimit
from lightshow.content.rejection import ContentRejected
from tests.queue.content_server import TOKEN, ContentServer
from tests.content.pictures import solid


def picture(i: int) -> bytes:
    return solid((i % 256, (i // 256) % 256, 77), (24, 16))


def snapshot(store: ContentStore):
    """Everything a refusal must leave as it was: rows, audit, plays and files."""
    db = sqlite3.connect(os.path.join(store.store_dir, "content.sqlite3"))
    try:
        tables = tuple(tuple(db.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall())
                       for t in ("artworks", "audit", "plays"))
    finally:
        db.close()
    files = sorted(os.path.relpath(os.path.join(d, f), store.store_dir)
                   for d, _, names in os.walk(store.files_dir) for f in names)
    return tables, files


@pytest.fixture
def store(tmp_path):
    with ContentStore(str(tmp_path / "store"), rate=RateLimit(max_uploads=1000, max_pending=1000)) as s:
        yield s


def submit(store, i=0, who="10.0.0.1", **fields):
    values = {"title": f"work {i}", "name": "", "city": "", "consent": True, **fields}
    return store.submit(picture(i), values["title"], values["name"], values["city"],
                        values["consent"], who)


def test_a_submission_is_a_pending_row_and_a_file_named_by_its_hash(store):
    work = submit(store, 1, title="长江 river")
    assert (work.state, work.title, work.width, work.height) == ("pending", "长江 river", 24, 16)
    path = store.file_path(work)
    assert os.path.basename(path) == f"{work.file_sha256}.png"
    import hashlib
    with open(path, "rb") as f:
        assert hashlib.sha256(f.read()).hexdigest() == work.file_sha256
    assert store.decoded(work).n_frames == 1
    assert store.audit_log()[0].action == "submitted"


def test_the_database_is_sqlite_in_wal_mode(store):
    db = sqlite3.connect(os.path.join(store.store_dir, "content.sqlite3"))
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_a_duplicate_is_refused_and_changes_nothing(store):
    submit(store, 1)
    before = snapshot(store)
    with pytest.raises(ContentRejected) as refused:
        submit(store, 1, who="10.9.9.9")
    assert refused.value.status == 409
    assert snapshot(store) == before


def test_a_refused_upload_leaves_no_row_and_no_file(store):
    before = snapshot(store)
    with pytest.raises(ContentRejected):
        store.submit(picture(3)[:40], "t", "", "", True, "x")
    with pytest.raises(ContentRejected):
        store.submit(picture(3), "t", "", "", False, "x")
    assert snapshot(store) == before


def test_rate_limits_are_per_submitter(tmp_path):
    with ContentStore(str(tmp_path / "s"), rate=RateLimit(max_uploads=2, max_pending=5)) as limited:
        submit(limited, 1, who="a")
        submit(limited, 2, who="a")
        before = snapshot(limited)
        with pytest.raises(ContentRejected) as refused:
            submit(limited, 3, who="a")
        assert refused.value.status == 429
        assert snapshot(limited) == before
        assert submit(limited, 3, who="b").state == "pending"


def test_submitters_are_kept_as_keyed_hashes(store):
    work = submit(store, 1, who="192.0.2.7")
    assert "192.0.2.7" not in work.submitter and len(work.submitter) == 24
    assert work.submitter == store.submitter_of("192.0.2.7")


def test_moderation_moves_states_and_is_audited(store):
    a, b, c = submit(store, 1), submit(store, 2), submit(store, 3)
    assert store.approve(a.id, "mod").state == "approved"
    rejected = store.reject(b.id, "mod", "not suitable")
    assert (rejected.state, rejected.reason) == ("rejected", "not suitable")
    assert not os.path.exists(store.file_path(b))            # the picture is not kept
    assert store.remove(a.id, "mod", "complaint").state == "removed"
    assert not os.path.exists(store.file_path(a))
    with pytest.raises(ContentRejected) as refused:
        store.approve(b.id, "mod")
    assert refused.value.status == 409
    with pytest.raises(ContentRejected) as refused:
        store.reject(c.id, "mod", "  ")
    assert refused.value.status == 422
    with pytest.raises(ContentRejected) as refused:
        store.approve(999, "mod")
    assert refused.value.status == 404
    actions = [(e.action, e.artwork_id, e.reason) for e in reversed(store.audit_log())]
    assert actions[3:] == [("approved", a.id, ""), ("rejected", b.id, "not suitable"),
                           ("removed", a.id, "complaint")]
    with pytest.raises(ContentRejected) as refused:       # a rejected work cannot come back
        submit(store, 2)
    assert refused.value.status == 409


def test_the_next_slot_follows_the_fair_rule_and_is_recorded(store):
    works = [submit(store, i, who=who) for i, who in enumerate(["a", "a", "a", "b"])]
    for w in works:
        store.approve(w.id, "mod")
    order = [store.next_for_slot(no_repeat_slots=2).id for _ in range(4)]
    assert order == [works[0].id, works[3].id, works[1].id, works[2].id]
    assert store.played_ids() == order


def test_an_empty_queue_gives_no_work(store):
    submit(store, 1)                      # pending only
    assert store.next_for_slot() is None


def test_leftovers_of_a_crash_are_swept_when_the_store_opens(tmp_path):
    root = str(tmp_path / "s")
    with ContentStore(root) as s:
        kept = submit(s, 1)
        os.makedirs(os.path.join(s.files_dir, "ff"), exist_ok=True)
        orphan = os.path.join(s.files_dir, "ff", "ff" * 32 + ".png")
        open(orphan, "wb").write(b"x")
        part = os.path.join(s.incoming_dir, "abc.part")
        open(part, "wb").write(b"x")
    with ContentStore(root) as s:
        assert not os.path.exists(orphan) and not os.path.exists(part)
        assert os.path.exists(s.file_path(kept))


def test_concurrent_submissions_all_land(store):
    errors = []

    def one(i):
        try:
            submit(store, 100 + i, who=f"w{i}")
        except Exception as exc:          # noqa: BLE001 - collected for the assertion
            errors.append(exc)
    threads = [threading.Thread(target=one, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and store.counts()["pending"] == 16


def test_every_acknowledged_upload_survives_sigkill_under_load(tmp_path):
    """Clients upload while the server is SIGKILLed twice; all acknowledged works are there."""
    store_dir = tmp_path / "store"
    acknowledged: dict[int, str] = {}
    counter = iter(range(1, 1_000_000))
    lock = threading.Lock()
    for round_ in range(2):
        server = ContentServer(store_dir).start()
        stop = threading.Event()

        def client():
            with httpx.Client(timeout=10.0) as http:
                while not stop.is_set():
                    with lock:
                        i = next(counter)
                    try:
                        answer = http.post(f"{server.url}/api/artworks",
                                           files={"file": ("w.png", picture(i), "image/png")},
                                           data={"title": f"load {i}", "consent": "yes"})
                    except httpx.HTTPError:
                        continue
                    if answer.status_code == 201:
                        with lock:
                            acknowledged[answer.json()["id"]] = f"load {i}"
        threads = [threading.Thread(target=client) for _ in range(8)]
        for t in threads:
            t.start()
        while len(acknowledged) < 30 * (round_ + 1):
            threading.Event().wait(0.05)
        server.kill()
        stop.set()
        for t in threads:
            t.join()
    with ContentServer(store_dir) as server:
        listed = httpx.get(f"{server.url}/api/moderation/artworks?state=pending",
                           headers={"Authorization": f"Bearer {TOKEN}"}).json()["artworks"]
        titles = {w["id"]: w["title"] for w in listed}
        assert len(acknowledged) >= 60
        assert {i: titles.get(i) for i in acknowledged} == acknowledged
        some = sorted(acknowledged)[-1]
        image = httpx.get(f"{server.url}/api/moderation/artworks/{some}/image",
                          headers={"Authorization": f"Bearer {TOKEN}"})
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_a_second_open_store_never_sweeps_what_a_running_one_writes(tmp_path):
    root = str(tmp_path / "s")
    with ContentStore(root) as server_side:
        in_flight = os.path.join(server_side.incoming_dir, "in-flight.part")
        open(in_flight, "wb").write(b"x")
        with ContentStore(root) as command_line:
            assert os.path.exists(in_flight)
            assert command_line.counts()["pending"] == 0
