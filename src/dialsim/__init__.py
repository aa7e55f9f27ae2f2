"""dialsim: Plivo's side of a ``<Dial>`` call, simulated against your server.

Public API::

    from dialsim import Simulator, Signing, compute_signature, check_xml

    sim = Simulator("http://127.0.0.1:8083/dialstatus/", auth_token="...")
    report = sim.call("busy")
    assert report.ok, report.problems
"""

from .plivo_data import DIAL_STATUSES
from .signature import base_string, compute_signature, validate_signature
from .simulator import CallReport, Signing, Simulator
from .transport import Exchange, send
from .xmlcheck import Problem, XmlReport, check_xml, element_tree

__all__ = [
    "DIAL_STATUSES",
    "CallReport",
    "Exchange",
    "Problem",
    "Signing",
    "Simulator",
    "XmlReport",
    "base_string",
    "check_xml",
    "compute_signature",
    "element_tree",
    "send",
    "validate_signature",
]
