"""The fake server's Batch API: ``/v1/files`` and ``/v1/batches`` with OpenAI's wire shapes.

* ``POST /v1/files`` (multipart ``file`` and ``purpose``), ``GET /v1/files/{id}``,
  ``GET /v1/files/{id}/content``.
* ``POST /v1/batches``, ``GET /v1/batches/{id}``, ``POST /v1/batches/{id}/cancel``.

Each ``GET /v1/batches/{id}`` moves the batch one step along its plan (by default
``validating``, ``in_progress``, ``finalizing``, ``completed``); ``plan(...)`` scripts the plan
of the next batch created: e.g. ``["validating", "failed"]``, or ``["in_progress", "expired"]``
with ``answered=1`` (lines answered before it expired; the rest go to the error file with
``batch_expired``). A cancel moves the batch to ``cancelling``, then ``cancelled`` (lines
after ``answered`` get ``batch_cancelled``).

When a batch completes, each input line is answered like ``POST /v1/chat/completions``,
through the server's per-article scripts: a step ``ok``/``invalid``/``ungrounded``/... is a
200 line of the output file; ``500``/``429``/``400``/... is a line of the error file with that
status and OpenAI's error body; ``line_error`` is an error-file line with an ``error`` object
and no response. ``counts`` tallies each request by path (``"POST /v1/files"``: 1).
"""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from fakeserver import FakeOpenAI

DEFAULT_PLAN = ("validating", "in_progress", "finalizing", "completed")
ERROR_KINDS = {"400": 400, "401": 401, "404": 404, "429": 429, "500": 500, "503": 503}


@dataclass
class BatchAPI:
    """Files and batches of one fake server."""

    server: FakeOpenAI
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)
    batches: dict[str, dict[str, Any]] = field(default_factory=dict)
    plans: dict[str, list[str]] = field(default_factory=dict)
    answered: dict[str, int | None] = field(default_factory=dict)
    next_plan: tuple[list[str], int | None] | None = None
    counts: Counter[str] = field(default_factory=Counter)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def plan(self, statuses: list[str], answered: int | None = None) -> None:
        """The statuses the next batch created goes through, one per retrieve."""
        self.next_plan = (list(statuses), answered)

    def register(self, app: web.Application) -> None:
        app.router.add_post("/v1/files", self.upload)
        app.router.add_get("/v1/files/{id}", self.file)
        app.router.add_get("/v1/files/{id}/content", self.content)
        app.router.add_post("/v1/batches", self.create)
        app.router.add_get("/v1/batches/{id}", self.retrieve)
        app.router.add_post("/v1/batches/{id}/cancel", self.cancel)

    def _count(self, request: web.Request) -> None:
        self.counts[f"{request.method} {request.path}"] += 1

    # files --------------------------------------------------------------------------------
    def _store_file(self, name: str, purpose: str, data: bytes) -> dict[str, Any]:
        file_id = f"file-fake{next(self._ids):04d}"
        meta = {"id": file_id, "object": "file", "bytes": len(data),
                "created_at": int(time.time()), "filename": name, "purpose": purpose,
                "status": "processed", "status_details": None, "expires_at": None}
        self.files[file_id] = meta
        self.contents[file_id] = data
        return meta

    async def upload(self, request: web.Request) -> web.Response:
        self._count(request)
        form = await request.post()
        upload, purpose = form.get("file"), form.get("purpose")
        if not isinstance(upload, web.FileField) or purpose != "batch":
            return _error(400, "A file and purpose 'batch' are required.", "invalid_request")
        data = upload.file.read()
        for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
            entry = json.loads(line)
            if set(entry) != {"custom_id", "method", "url", "body"}:
                return _error(400, f"line {number}: unexpected keys {sorted(entry)}",
                              "invalid_request")
        return web.json_response(self._store_file(upload.filename, "batch", data))

    async def file(self, request: web.Request) -> web.Response:
        self._count(request)
        meta = self.files.get(request.match_info["id"])
        return web.json_response(meta) if meta else _error(404, "No such File object",
                                                           "not_found")

    async def content(self, request: web.Request) -> web.Response:
        self._count(request)
        data = self.contents.get(request.match_info["id"])
        if data is None:
            return _error(404, "No such File object", "not_found")
        return web.Response(body=data, content_type="application/octet-stream")

    # batches ------------------------------------------------------------------------------
    async def create(self, request: web.Request) -> web.Response:
        self._count(request)
        body = await request.json()
        if body.get("input_file_id") not in self.files or body.get("completion_window") != "24h" \
                or body.get("endpoint") != "/v1/chat/completions":
            return _error(400, "Invalid batch request.", "invalid_request")
        batch_id = f"batch_fake{next(self._ids):04d}"
        plan, answered = self.next_plan or (list(DEFAULT_PLAN), None)
        self.next_plan = None
        lines = self.contents[body["input_file_id"]].decode("utf-8").splitlines()
        now = int(time.time())
        self.batches[batch_id] = {
            "id": batch_id, "object": "batch", "endpoint": body["endpoint"], "errors": None,
            "input_file_id": body["input_file_id"], "completion_window": "24h",
            "status": plan[0], "output_file_id": None, "error_file_id": None,
            "created_at": now, "in_progress_at": None, "expires_at": now + 86400,
            "finalizing_at": None, "completed_at": None, "failed_at": None, "expired_at": None,
            "cancelling_at": None, "cancelled_at": None,
            "request_counts": {"total": len(lines), "completed": 0, "failed": 0},
            "metadata": body.get("metadata"),
        }
        self.plans[batch_id] = plan[1:]
        self.answered[batch_id] = answered
        return web.json_response(self.batches[batch_id])

    async def retrieve(self, request: web.Request) -> web.Response:
        self._count(request)
        batch = self.batches.get(request.match_info["id"])
        if batch is None:
            return _error(404, "No such batch", "not_found")
        plan = self.plans[batch["id"]]
        if plan:
            self._move(batch, plan.pop(0))
        return web.json_response(batch)

    async def cancel(self, request: web.Request) -> web.Response:
        self._count(request)
        batch = self.batches.get(request.match_info["id"])
        if batch is None:
            return _error(404, "No such batch", "not_found")
        self._move(batch, "cancelling")
        self.plans[batch["id"]] = ["cancelled"]
        return web.json_response(batch)

    def _move(self, batch: dict[str, Any], status: str) -> None:
        batch["status"] = status
        stamp = {"in_progress": "in_progress_at", "finalizing": "finalizing_at",
                 "completed": "completed_at", "failed": "failed_at", "expired": "expired_at",
                 "cancelling": "cancelling_at", "cancelled": "cancelled_at"}.get(status)
        if stamp:
            batch[stamp] = int(time.time())
        if status == "failed":
            batch["errors"] = {"object": "list", "data": [{
                "code": "invalid_request", "message": "The input file is not valid.",
                "param": None, "line": 1}]}
            batch["request_counts"] = {**batch["request_counts"], "completed": 0, "failed": 0}
        elif status in ("completed", "expired", "cancelled"):
            self._finish(batch, status)

    def _finish(self, batch: dict[str, Any], status: str) -> None:
        lines = self.contents[batch["input_file_id"]].decode("utf-8").splitlines()
        answered = len(lines) if status == "completed" else self.answered[batch["id"]] or 0
        output: list[str] = []
        errors: list[str] = []
        for number, line in enumerate(lines):
            entry = json.loads(line)
            if number >= answered:
                errors.append(_line(entry["custom_id"], None, {
                    "code": f"batch_{status}",
                    "message": f"This request could not be executed before the batch was "
                               f"{status}."}))
                continue
            ok, result = self._answer(entry["body"])
            (output if ok else errors).append(result(entry["custom_id"]))
        batch["request_counts"] = {"total": len(lines), "completed": len(output),
                                   "failed": len(errors)}
        if output:
            batch["output_file_id"] = self._store_file(
                f"{batch['id']}_output.jsonl", "batch_output",
                ("\n".join(output) + "\n").encode("utf-8"))["id"]
        if errors:
            batch["error_file_id"] = self._store_file(
                f"{batch['id']}_error.jsonl", "batch_output",
                ("\n".join(errors) + "\n").encode("utf-8"))["id"]

    def _answer(self, body: dict[str, Any]) -> tuple[bool, Any]:
        """A line's answer, through the server's scripts: (ok, custom_id -> line)."""
        from fakeserver import _kind, article_text

        server = self.server
        text = article_text(body)
        step, index = server._choose(text)
        kind, options = _kind(step)
        with server._lock:
            server.log.append({"path": "batch:/v1/chat/completions", "time": time.monotonic(),
                               "article": text, "index": index, "kind": kind, "body": body})
        request_id = server._request_id()
        if kind == "line_error":
            return False, lambda cid: _line(cid, None, {
                "code": "server_error", "message": "The request could not be processed."})
        if kind in ERROR_KINDS:
            status = ERROR_KINDS[kind]
            error = {"error": {"message": f"fake {status} for this request",
                               "type": "invalid_request_error" if status < 500 else
                               "server_error", "param": None, "code": None}}
            return False, lambda cid: _line(cid, {"status_code": status,
                                                  "request_id": request_id, "body": error}, None)
        answer = server._completion(body, text, kind, options, {})
        completion = json.loads(answer.text or "{}")
        return True, lambda cid: _line(cid, {"status_code": 200, "request_id": request_id,
                                             "body": completion}, None)


def _line(custom_id: str, response: dict[str, Any] | None,
          error: dict[str, Any] | None) -> str:
    return json.dumps({"id": f"batch_req_{custom_id}", "custom_id": custom_id,
                       "response": response, "error": error})


def _error(status: int, message: str, code: str) -> web.Response:
    return web.json_response({"error": {"message": message, "type": "invalid_request_error",
                                        "param": None, "code": code}}, status=status)
