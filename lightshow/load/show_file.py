"""Show files: chapters of cues on a rig, every time resolved to show seconds."""

from __future__ import annotations

import os
from typing import Any

from lightshow.core.effects import EFFECTS
from lightshow.diagnostics import Diagnostic, SourceSpan, did_you_mean, has_errors, warning
from lightshow.errors import LightshowError
from lightshow.load.assets import PREPARERS
from lightshow.load.cue_controls import CONTROL_FIELDS, check_controls, slot_param
from lightshow.load.rig_file import SELECTORS
from lightshow.model.colour import NAMED_COLOURS, ColourField
from lightshow.model.rig import Rig
from lightshow.model.selectors import SelectorScope, merge_selected, select
from lightshow.model.blend import BLEND_MODES
from lightshow.load.audio_file import AudioFileError, audio_info
from lightshow.load.marks_file import read_marks
from lightshow.load.source import read_source
from lightshow.model.show import DEFAULT_FPS, EASINGS, MAX_FPS, Chapter, Cue, Fade, Show, Soundtrack, TimecodeSettings
from lightshow.protocol.timecode import parse_timecode
from lightshow.music.grid import GridError, MusicGrid
from lightshow.schema.combinators import ListOf, OneOf
from lightshow.schema.reading import INVALID, ReadContext
from lightshow.schema.records import AnyMapping, Field, MapOf, Record, Values, read_document
from lightshow.schema.cue_start import CueStart, CueStartField
from lightshow.schema.musical import MusicalLength, SecondsOrMusical, TempoRate
from lightshow.schema.scalars import Choice, Float, Int, Name, Seconds, Str
from lightshow.schema.yamltree import MappingNode

EPSILON_S = 1e-6
FADE = OneOf(Seconds(0, 3600), Record("fade", {
    "duration": Field(Seconds(0, 3600), required=True),
    "easing": Field(Choice(EASINGS)),
}, whole=True), what="a fade time in seconds or {duration, easing}")

CUE_FIELDS = {
    "start": Field(CueStartField(), doc="when the cue starts (default: after the previous cue)"),
    "duration": Field(SecondsOrMusical(0.001, 86400), doc="how long the cue lasts, fades included "
                      "(seconds, or 'N beats' / 'N bars' of the music)"),
    "fade_in": Field(FADE, doc="fade-in time, or {duration, easing}"),
    "fade_out": Field(FADE, doc="fade-out time, or {duration, easing}"),
    "easing": Field(Choice(EASINGS), doc="easing of both fades (default linear)"),
    "delay": Field(Seconds(0, 3600), doc="output begins this long after start"),
    "target": Field(SELECTORS, doc="groups, fixture ids, globs or profile:ID"),
    "effect": Field(Name("an effect name"), doc="one of `lightshow effects`"),
    "params": Field(AnyMapping("a mapping of effect parameters"), doc="effect parameters"),
    "layer": Field(Int(0, 99), doc="stacking order: higher layers mix over lower ones"),
    "blend": Field(Choice(BLEND_MODES), doc="how the cue mixes onto the layers below"),
    "opacity": Field(Float(0, 1), doc="0..1"),
    "priority": Field(Int(-100, 100), doc="within a layer, higher priority mixes last"),
    **CONTROL_FIELDS,
}
CUE_DEFAULTS = {"fade_in": 0.0, "fade_out": 0.0, "easing": "linear", "delay": 0.0, "layer": 0,
                "blend": "normal", "opacity": 1.0, "priority": 0}
TEMPLATE = Record("cue template", dict(CUE_FIELDS))
CUE = Record("cue", {
    "id": Field(Name("a cue id"), doc="name operators jump to (default CHAPTER.N)"),
    "template": Field(Name("a template name"), doc="a cue template whose fields this cue reuses"),
    **CUE_FIELDS,
})
CHAPTER = Record("chapter", {
    "id": Field(Name("a chapter id"), required=True, doc="name operators jump to"),
    "title": Field(Str(max_len=200), doc="what the audience is told"),
    "start": Field(Seconds(0), doc="show time the chapter starts (default: after the previous)"),
    "duration": Field(Seconds(0.001, 86400), doc="default: until its last cue ends"),
    "cues": Field(ListOf(CUE, partial=True), default=[]),
})
SOUNDTRACK = Record("soundtrack", {
    "path": Field(Str(what="the path of an audio file", max_len=1000), required=True,
                  doc="WAV, FLAC, Ogg (Vorbis, Opus) or MP3, relative to this file"),
    "offset_s": Field(Float(-86400, 86400, "seconds"), default=0.0,
                      doc="show time at which the soundtrack begins (negative: the show starts that far into it)"),
    "gain_db": Field(Float(-60, 20, "dB"), default=0.0, doc="level change of the soundtrack"),
}, whole=True)
TIMECODE = Record("timecode", {
    "offset": Field(Str(r"^\s*[0-9]{1,2}[:;][0-9]{2}[:;][0-9]{2}[:;][0-9]{2}\s*$", what="a timecode HH:MM:SS:FF"),
                    doc="the timecode at the show's start, chased and sent (e.g. 10:00:00:00)"),
    "fps": Field(Choice(("24", "25", "29.97df", "30")), doc="the rate of the timecode sent (--timecode)"),
    "follow": Field(Str(r"^(artnet|ltc)(:\S+)?$", what="artnet[:BIND_IP] or ltc[:DEVICE]"),
                    doc="the timecode play and serve chase unless told otherwise (--follow)"),
    "freewheel_frames": Field(Int(0, 3000), doc="missing frames ridden through before the source is lost"),
    "on_loss": Field(Choice(("stop", "hold")), doc="what a lost timecode does to the show"),
})
SHOW = Record("show", {
    "title": Field(Str(max_len=200), required=True),
    "rig": Field(Str(what="the path of a rig file"), required=True,
                 doc="rig file, relative to this file"),
    "fps": Field(Float(1, MAX_FPS, "frames per second"), default=DEFAULT_FPS,
                 doc=f"frame rate, at most {MAX_FPS:g} (the DMX refresh limit)"),
    "duration": Field(Seconds(0.001, 86400), doc="default: until the last chapter ends"),
    "audio": Field(SOUNDTRACK, doc="the soundtrack the show plays to"),
    "timecode": Field(TIMECODE, doc="timecode defaults: its offset, the rate sent, the source chased"),
    "marks": Field(Str(what="the path of a marks file", max_len=1000),
                   doc="beats, bars and named marks of the music (`lightshow marks SONG`), relative to this file"),
    "colours": Field(MapOf(ColourField(), what="a mapping of names to colours"), default={}),
    "palettes": Field(MapOf(ListOf(ColourField(), 1, 64), what="a mapping of names to colour lists"),
                      default={}),
    "templates": Field(MapOf(TEMPLATE, what="a mapping of template names to cue fields"),
                       default={}),
    "chapters": Field(ListOf(CHAPTER, 1, partial=True), required=True),
}, doc="A lightshow show script")


def clock(seconds: float) -> str:
    sign = "-" if seconds < 0 else ""
    minutes, rest = divmod(abs(seconds), 60)
    return f"{sign}{int(minutes)}:{rest:06.3f}"


class ShowBuilder:
    def __init__(self, path: str, values: Values, rig: Rig | None, ctx: ReadContext):
        self.path, self.values, self.rig, self.ctx = path, values, rig, ctx
        templates = values["templates"] or {}
        self.templates: dict[str, tuple[Values, SourceSpan]] = {
            name: (spec, span) for name, (spec, span) in templates.items() if spec is not INVALID}
        self.broken_templates = {name for name, (spec, _) in templates.items() if spec is INVALID}
        self.cue_ids: dict[str, SourceSpan] = {}
        self.soundtrack: Soundtrack | None = self._soundtrack()
        self.grid: MusicGrid | None = self._grid()
        if rig is not None:
            ids = [f.id for f in rig.fixtures]
            self.scope = SelectorScope(ids, dict(rig.arrays),
                                       {g.name: g.fixture_ids for g in rig.groups.values()},
                                       {f.id: f.profile.id for f in rig.fixtures})
            self.order = {fid: i for i, fid in enumerate(ids)}

    # -- music ------------------------------------------------------------
    def _soundtrack(self) -> Soundtrack | None:
        spec = self.values["audio"]
        if spec in (None, INVALID):
            return None
        path = os.path.join(os.path.dirname(self.path), spec["path"])
        try:
            info = audio_info(path)
        except AudioFileError as exc:
            self.ctx.error_at(spec.span_of("path"), "asset", str(exc))
            return None
        return Soundtrack(path, spec["offset_s"], spec["gain_db"], info.duration_s, info.sample_rate)

    def _grid(self) -> MusicGrid | None:
        written = self.values["marks"]
        if written in (None, INVALID):
            return None
        path = os.path.join(os.path.dirname(self.path), written)
        source = read_source(path)
        if source.unreadable or source.root is None:
            why = source.unreadable or "it is empty"
            self.ctx.error_at(self.values.span_of("marks"), "asset", f"cannot read the marks file {path}: {why}")
            self.ctx.diagnostics.extend(source.diagnostics)
            return None
        marks, problems = read_marks(source)
        self.ctx.diagnostics.extend(source.diagnostics + problems)
        if marks is None:
            return None
        offset_s = self.soundtrack.offset_s if self.soundtrack is not None else 0.0
        return MusicGrid(marks, offset_s)

    def _music_s(self, start: CueStart, span: SourceSpan) -> float | None:
        """Show seconds of a start written at a mark of the music."""
        if self.grid is None:
            why = "the show has no marks: add 'marks: FILE' (made by `lightshow marks SONG`)" \
                if self.values["marks"] is None else "the show's marks file has problems"
            self.ctx.error_at(span, "no-marks", f"'{start}' needs the music's marks, but {why}")
            return None
        try:
            if start.anchor == "mark":
                if start.ref not in self.grid.marks.named:
                    known = self.grid.marks.named
                    hint = did_you_mean(start.ref, known) or (
                        "; named marks: " + ", ".join(list(known)[:12]) if known else "; the marks file names none")
                    self.ctx.error_at(span, "unknown-mark", f"unknown mark '{start.ref}'{hint}")
                    return None
                return self.grid.named_s(start.ref) + start.offset_s
            return self.grid.time_s(start.anchor, start.ref) + start.offset_s
        except GridError as exc:
            self.ctx.error_at(span, "unknown-mark", str(exc))
            return None

    def _musical_length_s(self, length: MusicalLength, start_s: float, span: SourceSpan) -> float | None:
        if self.grid is None:
            self.ctx.error_at(span, "no-marks", f"'{length}' needs the music's marks, but the show has "
                              "none: add 'marks: FILE' (made by `lightshow marks SONG`)")
            return None
        try:
            return self.grid.span_s(length.kind, start_s, length.count)
        except GridError as exc:
            self.ctx.error_at(span, "unknown-mark", str(exc))
            return None

    def _tempo_rates(self, effect_name: str, params: dict, spans: dict, start_s: float, duration_s: float,
                     default_span: SourceSpan) -> list[str] | None:
        """Turn ``rate_hz: beat`` and the like into hertz for this cue; None after an error."""
        notes = []
        for key, value in params.items():
            if not isinstance(value, TempoRate):
                continue
            span = spans.get(key, default_span)
            if self.grid is None:
                self.ctx.error_at(span, "no-marks", f"{key}: '{value}' follows the tempo, but the show has no "
                                  "marks: add 'marks: FILE' (made by `lightshow marks SONG`)")
                return None
            try:
                hz = value.sign * self.grid.rate_hz(value.kind, start_s, duration_s, value.per)
            except GridError as exc:
                self.ctx.error_at(span, "unknown-mark", f"{key}: {exc}")
                return None
            field_type = EFFECTS[effect_name].params.fields[key].type
            if (field_type.low is not None and hz < field_type.low) or (field_type.high is not None and hz > field_type.high):
                self.ctx.error_at(span, "out-of-range", f"{key}: '{value}' is {hz:.3f} Hz here, outside "
                                  f"{field_type.expected.split(',')[0]}")
                return None
            params[key] = hz
            notes.append(f"{key}: {value} = {hz:.3f} Hz")
        return notes

    # -- cues -------------------------------------------------------------
    def _field(self, cue: Values, template: Values | None, key: str) -> tuple[Any, SourceSpan]:
        if key in cue:
            return cue[key], cue.span_of(key)
        if template is not None and key in template:
            return template[key], template.span_of(key)
        return CUE_DEFAULTS.get(key), cue.span

    def _targets(self, selectors, span: SourceSpan) -> tuple[tuple[str, ...], tuple[str, ...]]:
        items = [selectors] if isinstance(selectors, tuple) else list(selectors)
        texts = tuple(text for text, _ in items)
        if self.rig is None:
            return texts, ()
        parts = []
        for text, sel_span in items:
            found, why = select(text, self.scope)
            if why:
                self.ctx.error_at(sel_span, "unknown-group", why)
            parts.append(found)
        return texts, merge_selected(parts, self.order)

    def _params(self, effect_name: str, cue: Values, template: Values | None
                ) -> tuple[dict | None, dict[str, SourceSpan]]:
        effect = EFFECTS[effect_name]
        merged: dict[str, Any] = {}
        spans: dict[str, SourceSpan] = {}
        ok = True
        for source in (template, cue):
            if source is None or "params" not in source:
                continue
            node = source["params"]
            if node is INVALID:
                ok = False
                continue
            read = effect.params.read(node, self.ctx)
            if read is INVALID:
                ok = False
                continue
            for key in read.given():
                if read[key] is INVALID:
                    ok = False
                merged[key] = read[key]
                spans[key] = read.span_of(key)
        if not ok:
            return None, spans
        params = {key: spec.default for key, spec in effect.params.fields.items()}
        params.update(merged)
        span = cue.span_of("params") if "params" in cue else cue.span
        if effect.prepare is not None:
            try:
                params = PREPARERS[effect.prepare](params, os.path.dirname(self.path))
            except LightshowError as exc:
                self.ctx.error_at(span, "asset", str(exc))
                return None, spans
        return params, spans

    def _check_fps(self, effect_name: str, params: dict, spans: dict, span: SourceSpan) -> bool:
        effect, fps = EFFECTS[effect_name], self.values["fps"]
        problem = effect.check_fps(params, fps) if effect.check_fps and fps is not INVALID else None
        if problem is not None:
            key, message = problem
            self.ctx.error_at(spans.get(key, span), "invalid-value", message)
            return False
        return True

    def _fade(self, value, easing: str) -> Fade:
        if isinstance(value, Values):
            return Fade(value["duration"], value["easing"] or easing)
        return Fade(float(value), easing)

    def build_cue(self, cue: Values, index: int, chapter_id: str, chapter_start_s: float,
                  previous: Cue | None) -> tuple[Cue | None, bool]:
        """The cue, and whether it is sound; a cue with good times but a bad effect
        is still returned so the cues after it keep their true start times."""
        ctx = self.ctx
        template = None
        template_name = cue["template"]
        if template_name in self.broken_templates:
            return None, False  # the template's own problems are reported where it is
        if template_name not in (None, INVALID):
            if template_name not in self.templates:
                ctx.error_at(cue.span_of("template"), "unknown-template",
                             f"unknown cue template '{template_name}'"
                             f"{did_you_mean(template_name, self.templates)}")
                return None, False
            template = self.templates[template_name][0]
        got = {key: self._field(cue, template, key) for key in CUE_FIELDS}
        if any(value is INVALID for value, _ in got.values()) or cue["id"] is INVALID:
            return None, False
        for key in ("duration", "target", "effect"):
            if got[key][0] is None:
                ctx.error_at(cue.span, "missing-key", f"cue is missing key '{key}': expected "
                             f"{CUE_FIELDS[key].type.expected}")
                return None, False
        cue_id = cue["id"] or f"{chapter_id}.{index + 1}"
        if cue_id in self.cue_ids:
            ctx.error_at(cue.span_of("id"), "duplicate-id",
                         f"cue id '{cue_id}' is already used at {self.cue_ids[cue_id]}")
        self.cue_ids[cue_id] = cue.span_of("id")
        ok = True
        effect_name, effect_span = got["effect"]
        params: dict | None = {}
        spans: dict[str, SourceSpan] = {}
        if effect_name not in EFFECTS:
            hint = did_you_mean(effect_name, EFFECTS) or "; known effects: " + ", ".join(EFFECTS)
            ctx.error_at(effect_span, "unknown-effect", f"unknown effect '{effect_name}'{hint}")
            ok = False
        else:
            params, spans = self._params(effect_name, cue, template)
            ok = params is not None
        targets, fixture_ids = self._targets(*got["target"])
        start, start_span = got["start"]
        start = start or CueStart("end", 0.0)
        timing: list[str] = []
        base = chapter_start_s  # also for the first cue, whatever its anchor
        if previous is not None and start.anchor == "start":
            base = previous.start_s - previous.delay_s
        elif previous is not None and start.anchor == "end":
            base = previous.end_s
        elif start.anchor in ("beat", "bar", "onset", "mark"):
            at_s = self._music_s(start, start_span)
            if at_s is None:
                return None, False
            base = at_s - start.offset_s
            timing.append(f"start: {start} = {clock(at_s)}")
        easing = got["easing"][0]
        fade_in = self._fade(got["fade_in"][0], easing)
        fade_out = self._fade(got["fade_out"][0], easing)
        duration, duration_span = got["duration"]
        if isinstance(duration, MusicalLength):
            written = duration
            duration = self._musical_length_s(written, base + start.offset_s + got["delay"][0], duration_span)
            if duration is None:
                return None, False
            if duration <= 0:
                ctx.error_at(duration_span, "invalid-value", f"'{written}' is no time at all here")
                return None, False
            timing.append(f"duration: {written} = {duration:.3f} s")
        if ok and params:
            notes = self._tempo_rates(effect_name, params, spans, base + start.offset_s + got["delay"][0],
                                      duration, cue.span_of("params") if "params" in cue else cue.span)
            ok = notes is not None and self._check_fps(effect_name, params, spans, cue.span)
            timing += notes or []
        if fade_in.duration_s + fade_out.duration_s > duration + EPSILON_S:
            ctx.error_at(cue.span, "invalid-value",
                         f"cue '{cue_id}' fades ({fade_in.duration_s:g} s in + "
                         f"{fade_out.duration_s:g} s out) are longer than the cue ({duration:g} s)")
        delay = got["delay"][0]
        controls = check_controls(got, self.rig, fixture_ids, ctx)
        ok = ok and controls is not None
        if params:   # an effect's wheel slot by name: its colour, and the wheels turned to it
            from_slot = slot_param(params, spans, got.get("wheel", (None, None)), self.rig, fixture_ids, ctx)
            ok = ok and from_slot is not None
            controls = (controls or ()) + (from_slot or ())
        built = Cue(cue_id, chapter_id, base + start.offset_s + delay, duration, effect_name,
                    params or {}, targets, fixture_ids, fade_in, fade_out, delay, got["layer"][0],
                    got["blend"][0], got["opacity"][0], got["priority"][0], cue.span, "; ".join(timing),
                    controls or ())
        return built, ok

    # -- chapters ---------------------------------------------------------
    def build(self) -> Show | None:
        values, ctx = self.values, self.ctx
        chapters: list[Chapter] = []
        chapter_ids: dict[str, SourceSpan] = {}
        cursor = 0.0
        for number, spec in enumerate(values["chapters"] or (), start=1):
            if spec is INVALID or not spec.ok("start", "duration", "cues"):
                continue
            has_id = spec["id"] is not INVALID  # without one its cues are still checked
            chapter_id = spec["id"] if has_id else f"#{number}"
            if chapter_id in chapter_ids:
                ctx.error_at(spec.span_of("id"), "duplicate-id",
                             f"chapter id '{chapter_id}' is already used at {chapter_ids[chapter_id]}")
            chapter_ids[chapter_id] = spec.span_of("id")
            start = spec["start"] if spec["start"] is not None else cursor
            if start < cursor - EPSILON_S and chapters:
                ctx.error_at(spec.span_of("start"), "chapter-overlap",
                             f"chapter '{chapter_id}' starts at {clock(start)}, before chapter "
                             f"'{chapters[-1].id}' ends at {clock(cursor)}")
            cues: list[Cue] = []
            previous = None
            for index, cue_spec in enumerate(spec["cues"] or ()):
                if cue_spec is INVALID:
                    continue
                cue, ok = self.build_cue(cue_spec, index, chapter_id, start, previous)
                if cue is not None:
                    previous = cue
                    if ok:
                        cues.append(cue)
            duration = spec["duration"]
            if duration is None:
                duration = max((c.end_s for c in cues), default=start) - start
                if duration <= 0 and not spec["cues"]:
                    ctx.error_at(spec.span, "missing-key", f"chapter '{chapter_id}' has no cues "
                                 "and no duration")
                    duration = 0.0
            end = start + duration
            for cue in cues:
                if cue.end_s > end + EPSILON_S or cue.start_s < start - EPSILON_S:
                    ctx.error_at(cue.span, "cue-outside-chapter",
                                 f"cue '{cue.id}' runs {clock(cue.start_s)}-{clock(cue.end_s)}, "
                                 f"outside its chapter '{chapter_id}' ({clock(start)}-{clock(end)})")
            if has_id:
                chapters.append(Chapter(chapter_id, spec["title"] or chapter_id, start, duration,
                                        tuple(cues), spec.span))
            cursor = max(cursor, end)
        duration = values["duration"] if values["duration"] not in (None, INVALID) else cursor
        for chapter in chapters:
            if chapter.end_s > duration + EPSILON_S:
                ctx.error_at(chapter.span, "chapter-outside-show",
                             f"chapter '{chapter.id}' ends at {clock(chapter.end_s)}, after the show "
                             f"ends at {clock(duration)}")
        self._check_soundtrack(duration)
        timecode = self._timecode()
        if self.rig is None or has_errors(ctx.diagnostics):
            return None
        return Show(values["title"], self.path, values["fps"], self.rig, tuple(chapters), duration,
                    self.soundtrack, timecode)

    def _timecode(self) -> TimecodeSettings | None:
        spec = self.values["timecode"]
        if spec in (None, INVALID):
            return None
        offset = (0, 0, 0, 0)
        if spec["offset"] not in (None, INVALID):
            try:
                offset = parse_timecode(spec["offset"])
            except ValueError as exc:
                self.ctx.error_at(spec.span_of("offset"), "invalid-value", str(exc))
        return TimecodeSettings(offset, spec["fps"], spec["follow"], spec["freewheel_frames"], spec["on_loss"])

    def _check_soundtrack(self, duration_s: float) -> None:
        track = self.soundtrack
        if track is None:
            return
        spec = self.values["audio"]
        if track.offset_s >= duration_s or track.offset_s <= -track.duration_s:
            self.ctx.error_at(spec.span_of("offset_s"), "invalid-value",
                              f"offset_s {track.offset_s:g} puts the soundtrack ({clock(track.duration_s)} long) "
                              f"outside the show (0:00.000-{clock(duration_s)})")
        elif track.offset_s + track.duration_s < duration_s - 0.5:
            self.ctx.diagnostics.append(warning("short-soundtrack",
                                f"the soundtrack ends at {clock(track.offset_s + track.duration_s)}, before the "
                                f"show ends at {clock(duration_s)}: the rest plays in silence", spec.span_of("path")))


def _probe(root: MappingNode, key: str, ctx: ReadContext):
    """Read one top-level key early (its diagnostics come again in the full read)."""
    items = [(k, v) for k, v in root.value if getattr(k, "value", None) == key]
    record = Record("show", {key: SHOW.fields[key]})
    probe = ReadContext(ctx.path, ctx.names)
    values = record.read(MappingNode(root.tag, items, root.start_mark, root.end_mark), probe)
    return {} if values is INVALID or values[key] in (None, INVALID) else values[key]


def read_show_header(root, path: str) -> tuple[Values | Any, ReadContext]:
    """The show's fields; its colours, then its palettes, are known before cue params."""
    ctx = ReadContext(path)
    if isinstance(root, MappingNode):
        colours = dict(NAMED_COLOURS)
        ctx.names = {"colours": colours, "palettes": {}}
        colours.update({name: c for name, (c, _) in _probe(root, "colours", ctx).items()
                        if c is not INVALID})
        ctx.names["palettes"] = {name: tuple(p) for name, (p, _) in _probe(root, "palettes", ctx).items()
                                 if p is not INVALID and INVALID not in p}
    values = read_document(root, SHOW, ctx, "show")
    return values, ctx


def build_show(path: str, values: Values, rig: Rig | None, ctx: ReadContext
               ) -> tuple[Show | None, list[Diagnostic]]:
    show = ShowBuilder(path, values, rig, ctx).build()
    return show, ctx.diagnostics


__all__ = ["SHOW", "CueStart", "build_show", "clock", "read_show_header"]
