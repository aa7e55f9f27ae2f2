"""dialsim: Plivo's side of a ``<Dial>`` call, simulated against your server.

Public API::

    from dialsim import Simulator, Signing, compute_signature, check_xml

    sim = Simulator("http://127.0.0.1:8083/dialstatus/", auth_token="...")
    report = sim.call("busy")           # or ["busy", "completed"]: one outcome per <Dial>
    assert report.ok, report.problems
    report.action, report.hangup        # the last action request, the hangup request

With pytest, the ``dialsim`` fixture (``dialsim.pytest_plugin``) gives a
Simulator aimed at ``--dialsim-url``.
"""

from .plivo_data import DIAL_STATUSES
from .signature import base_string, compute_signature, validate_signature
from .simulator import CallReport, Expect, Signing, Simulator
from .transport import Exchange, send
from .xmlcheck import Problem, XmlReport, check_xml, element_tree

__all__ = [
    "DIAL_STATUSES",
    "CallReport",
    "Exchange",
    "Expect",
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
