"""A Django site in one module, run by Django's test client: it logs through the LOGGING of Django's documentation.

``python django_site.py LOG`` writes LOG with the documentation's "verbose"
formatter, then prints the process id and the main thread's id, which its
records must carry.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

import django
from django.conf import settings
from django.http import HttpResponse
from django.test import Client
from django.urls import path


def ok(request):
    logging.getLogger("shop.views").info("listing %d orders", 3)
    return HttpResponse("ok")


def broken(request):
    try:
        return HttpResponse(str(1 / 0))
    except ZeroDivisionError:
        logging.getLogger("shop.views").exception("the order page broke")
        return HttpResponse("sorry", status=500)


urlpatterns = [path("orders/", ok), path("broken/", broken)]

settings.configure(
    DEBUG=False,
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["testserver"],
    LOGGING={
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"verbose": {"format": "{levelname} {asctime} {module} {process:d} {thread:d} {message}", "style": "{"}},
        "handlers": {"file": {"class": "logging.FileHandler", "filename": sys.argv[1], "formatter": "verbose"}},
        "loggers": {"django": {"handlers": ["file"], "level": "INFO"}, "shop": {"handlers": ["file"], "level": "INFO"}},
    },
)
django.setup()
client = Client()
client.get("/orders/")
client.get("/missing/")  # django.request: "Not Found: /missing/", a WARNING
client.get("/broken/")
print(os.getpid(), threading.get_ident())
