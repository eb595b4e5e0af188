"""django-ninja's side of the minimal endpoints (hello, echo), for comparison only.

The echo schema asks what EchoSerializer asks, in pydantic's terms; the renderer is the
orjson one django-ninja's documentation shows, told to write datetimes in UTC with `Z` and
decimals as strings, as DRF's JSON does, so the bodies compare byte for byte. The e-mail
check is a pattern: pydantic's EmailStr needs a package this project does not install.
"""

from datetime import datetime
from decimal import Decimal
from typing import Literal

import orjson
from ninja import Field, NinjaAPI, Schema
from ninja.renderers import BaseRenderer


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request, data, *, response_status):
        return orjson.dumps(data, default=str, option=orjson.OPT_UTC_Z)


class Echo(Schema):
    count: int = Field(ge=0, le=1000)
    name: str = Field(min_length=2, max_length=50)
    ratio: float
    active: bool
    labels: list[str]
    when: datetime
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    price: Decimal = Field(max_digits=8, decimal_places=2)
    kind: Literal["paper", "ebook", "audio"]
    note: str | None = None


api = NinjaAPI(renderer=ORJSONRenderer(), urls_namespace="ninja", docs_url=None)


@api.get("/hello/")
def hello(request):
    return {"message": "hello"}


@api.post("/echo/", response=Echo)
def echo(request, payload: Echo):
    return payload
