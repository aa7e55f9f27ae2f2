<?php

namespace Plivo\Exceptions;

/** Stand-in: thrown by validateV3Signature for a method other than GET or POST. */
class PlivoValidationException extends PlivoRestException
{
}
