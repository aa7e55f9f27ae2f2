<?php

namespace Plivo\Exceptions;

/** Stand-in: the SDK's base exception. */
class PlivoRestException extends \Exception
{
}
