<?php

namespace Plivo\XML;

/** Stand-in: <Speak> with its plain-text attributes (no SSML). */
class Speak extends Element
{
    protected const ATTRIBUTES = ['voice', 'language', 'loop'];
}
