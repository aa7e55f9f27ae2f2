<?php

namespace Plivo\XML;

use Plivo\Exceptions\PlivoXMLException;

/** Stand-in: <Number>, which refuses an empty number. */
class Number extends Element
{
    protected const ATTRIBUTES = ['sendDigits', 'sendOnPreanswer', 'sendDigitsMode'];

    public function __construct($body, $attributes = [])
    {
        parent::__construct($body, $attributes);
        if (!$body) {
            throw new PlivoXMLException('No number set for Number');
        }
    }
}
