"""The `authtoken` Django app: one token per user, for TokenAuthentication.

Install it as "restcycle.authtoken" (or "rest_framework.authtoken" under the
drop-in alias). Its app label is "authtoken" and its table "authtoken_token", as
in Django REST framework, so a database migrated under DRF needs nothing more.
"""
