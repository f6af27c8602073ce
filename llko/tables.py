"""Every table of every feature, imported so that SQLModel.metadata knows them all (migrations, schema tests)."""

from llko.accounts.models import LoginSession, User, UserProvider
from llko.models import AuditEntry, Setting
from llko.providers.models import Provider
from llko.requests.models import ImportRun, ProviderSummary, Request, StatusChange, SummaryFigure

ALL = (AuditEntry, Setting, Provider, ImportRun, Request, StatusChange, ProviderSummary, SummaryFigure, User,
       UserProvider, LoginSession)
