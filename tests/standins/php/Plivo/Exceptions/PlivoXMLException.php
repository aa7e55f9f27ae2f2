<?php

namespace Plivo\Exceptions;

/** Stand-in: thrown for an unknown attribute, a misplaced element or an empty Number. */
class PlivoXMLException extends PlivoRestException
{
}
