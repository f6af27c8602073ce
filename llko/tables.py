"""Every table of every feature, imported so that SQLModel.metadata knows them all (migrations, schema tests)."""

from llko.accounts.models import LoginSession, User, UserProvider
from llko.agreements.models import Agreement, LokAttendance, LokMeeting, ProcedureEvaluation
from llko.compliance.models import AdviceOverride, Contact, EnforcementFile, EnforcementStep, StepAttachment
from llko.infopagina.models import InfopaginaCheck
from llko.models import AuditEntry, Setting
from llko.notify.models import OutboxMail, OutboxRequest
from llko.providers.models import Provider
from llko.reporting.models import Population
from llko.requests.models import ImportRun, ProviderSummary, Request, StatusChange, SummaryFigure
from llko.vacancies.models import Referral, VacancyChange, VacancyRecord

ALL = (AuditEntry, Setting, Provider, ImportRun, Request, StatusChange, ProviderSummary, SummaryFigure, User,
       UserProvider, LoginSession, VacancyRecord, VacancyChange, Referral, InfopaginaCheck, Agreement, LokMeeting,
       LokAttendance, ProcedureEvaluation, AdviceOverride, Contact, EnforcementFile, EnforcementStep, StepAttachment,
       Population, OutboxMail, OutboxRequest)
