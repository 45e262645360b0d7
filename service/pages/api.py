"""The API page at /api: the OpenAPI document (/openapi.json) rendered by Swagger UI, from npm
(``swagger-ui-dist``, copied into static/vendor/swagger-ui/ by scripts/vendor-ui: no CDN).

Without JavaScript the page lists every route with its methods and summary, read from the same
document, so it is never empty.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from rlskg.service.protocol.openapi import document

bp = Blueprint("api", __name__)
METHODS = ("get", "post", "put", "delete")


@bp.get("/api")
def api_page() -> str:
    spec = document()
    routes = [
        (
            path,
            [
                (method.upper(), operation.get("summary", ""))
                for method, operation in item.items()
                if method in METHODS
            ],
        )
        for path, item in spec["paths"].items()
    ]
    return render_template("api.html", routes=routes, info=spec["info"], canonical=request.url_root + "api")
