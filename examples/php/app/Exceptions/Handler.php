<?php

namespace App\Exceptions;

use Illuminate\Foundation\Exceptions\Handler as ExceptionHandler;
use Illuminate\Http\Response;
use Symfony\Component\HttpKernel\Exception\HttpExceptionInterface;

class Handler extends ExceptionHandler
{
    /**
     * Errors (404, 405, ...) as one line of plain text.
     *
     * Laravel's default renders HTML error views, which need the view
     * service (as does the response() helper); this app has none, and
     * Plivo reads no HTML.
     */
    protected function renderHttpException(HttpExceptionInterface $e)
    {
        $status = $e->getStatusCode();

        return new Response(
            ($status < 500 ? (Response::$statusTexts[$status] ?? 'Error') : 'Server Error')."\n",
            $status,
            ['Content-Type' => 'text/plain; charset=UTF-8'] + $e->getHeaders()
        );
    }
}
