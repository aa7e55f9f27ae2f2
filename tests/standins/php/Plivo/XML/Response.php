<?php

namespace Plivo\XML;

/** Stand-in: the root of every Plivo XML document. */
class Response extends Element
{
    protected const CHILDREN = [
        'Speak', 'Play', 'GetDigits', 'GetInput', 'Record', 'Dial', 'Redirect', 'Wait',
        'Hangup', 'PreAnswer', 'Conference', 'DTMF', 'Message', 'MultiPartyCall', 'Stream',
    ];

    public function __construct()
    {
        parent::__construct(null, []);
    }
}
