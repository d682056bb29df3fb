"""REST API: POST /api/ask (same JSON as `budget-qa ask --json`), POST /api/upload, GET /api/facts (the
figures, filtered and paged; json, csv or xlsx) and GET /api/health."""
from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from webui.facts import MAX_PAGE_SIZE, FactQuery, facts_csv, facts_xlsx
from webui.services import AppServices, RequestError, parse_filters
from webui.upload import add_document, run_index_or_raise

log = logging.getLogger(__name__)


class AskRequest(BaseModel):
    question: str = Field(..., description="the question, Chinese or English")
    history: list[dict[str, Any]] | None = Field(None, description='earlier turns: [{"role": "user"|"assistant", "content": "..."}]')
    filters: dict[str, Any] | None = Field(None, description='{"org": ..., "year": 2024, "kind": "预算"|"决算"}')
    id: Any = Field(None, description="echoed back, for batch clients")


def answer_json(question: str, answer, request_id: Any = None) -> dict:
    """The `budget-qa ask --json` record: id, question, then Answer.to_json()."""
    record: dict[str, Any] = {"id": request_id, "question": question}
    record.update(answer.to_json())
    return record


def build_router(services: AppServices) -> APIRouter:
    router = APIRouter(prefix="/api")

    @router.post("/ask")
    def ask(request: AskRequest):  # sync: FastAPI runs it in its thread pool, so requests answer in parallel
        try:
            answer = services.ask(request.question, request.history, request.filters)
        except RequestError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        except Exception:
            log.exception("ask failed")
            return JSONResponse({"error": "internal error while answering; see the server log"}, status_code=500)
        return answer_json(request.question.strip(), answer, request.id)

    @router.post("/upload")
    async def upload(name: str, request: Request):
        """The file's bytes as the body (.txt/.pdf/.xlsx/.docx), its name in ?name=; checked like the
        admin tab's upload: only a document that parses is added and indexed."""
        data = await request.body()
        report = await run_in_threadpool(_add, name, data)
        body = {"ok": report.ok, "message": report.message, "doc": report.doc_id, "tables": report.tables,
                "facts": report.facts, "failed_checks": report.failed_checks}
        return JSONResponse(body, status_code=200 if report.ok else 400)

    def _add(name: str, data: bytes):
        with services.update_lock:
            report = add_document(services.settings, name, data, run_index_or_raise)
            if report.ok:
                services.reload()
        return report

    @router.get("/facts")
    def facts(org: str | None = None, year: str | None = None, kind: str | None = None,
              doc: str | None = Query(None, description="a document file name"),
              table: str | None = Query(None, description="a table_id (\"<doc>#<n>\") or \"prose\""),
              q: str | None = Query(None, description="item name: Chinese, pinyin initials or English"),
              format: str = Query("json", pattern="^(json|csv|xlsx)$"),
              page: int | None = Query(None, ge=1, description="1-based; json default 1"),
              page_size: int | None = Query(None, ge=1, le=MAX_PAGE_SIZE, description="json default 100")):
        """Every figure of the documents with its citation (doc, line, table, row, column, unit), filtered and
        paged; csv / xlsx return every match (a download) unless page is given."""
        try:
            chosen = parse_filters({"org": org, "year": year, "kind": kind})
        except RequestError as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        query = FactQuery(doc=doc or None, org=chosen.org, year=chosen.year, kind=chosen.kind, table=table or None,
                          q=q or None, page=page or 1, page_size=page_size or 100)
        if format == "json":
            return services.facts.page(query).to_json()
        paged = page is not None or page_size is not None
        facts = list(services.facts.page(query).facts) if paged else services.facts.select(query)
        if format == "csv":
            return Response(facts_csv(facts), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": 'attachment; filename="budget-facts.csv"'})
        return Response(facts_xlsx(facts), headers={"Content-Disposition": 'attachment; filename="budget-facts.xlsx"'},
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

    @router.get("/health")
    def health():
        facets = services.library.facets()
        return {
            "status": "ok",
            "documents": len(services.library.documents()),
            "orgs": list(facets.orgs), "years": list(facets.years), "kinds": list(facets.kinds),
            "corpus_errors": services.library.errors,
            "llm": services.settings.llm,
        }

    return router


def build_api(services: AppServices) -> FastAPI:
    api = FastAPI(title="budget-qa", description="Questions about Chinese government budget documents, answered with cited figures",
                  docs_url="/api/docs", openapi_url="/api/openapi.json", redoc_url=None)
    api.include_router(build_router(services))
    return api
