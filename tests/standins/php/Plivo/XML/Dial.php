<?php

namespace Plivo\XML;

/** Stand-in: <Dial>, with the SDK's attribute whitelist. */
class Dial extends Element
{
    protected const ATTRIBUTES = [
        'action', 'method', 'timeout', 'hangupOnStar', 'timeLimit', 'callerId', 'callerName',
        'confirmSound', 'confirmTimeout', 'confirmKey', 'dialMusic', 'callbackUrl',
        'callbackMethod', 'redirect', 'digitsMatch', 'digitsMatchBLeg', 'sipHeaders',
    ];

    protected const CHILDREN = ['Number', 'User'];

    public function __construct($attributes = [])
    {
        parent::__construct(null, $attributes);
    }
}
