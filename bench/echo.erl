%% echo.erl: the round-trip benchmark with Erlang's socket module, the
%% same job as echo_client.c and echo.esock: N times, send 64 bytes to
%% the echo server on 127.0.0.1:PORT and receive the 64 back. Prints the
%% loop's time in microseconds.
%%   erl -noshell -pa DIR -eval 'echo:main(["PORT", "10000"])'
-module(echo).
-export([main/1]).

main([P, N]) ->
    Status = try run(list_to_integer(P), list_to_integer(N)) of
                 ok -> 0
             catch C:E ->
                 io:format(standard_error, "echo: ~p:~p~n", [C, E]),
                 1
             end,
    halt(Status).

run(P, N) ->
    {ok, S} = socket:open(inet, stream),
    ok = socket:connect(S, #{family => inet, addr => loopback, port => P}),
    ok = socket:setopt(S, {tcp, nodelay}, true),
    B = binary:copy(<<"x">>, 64),
    {T, ok} = timer:tc(fun() -> loop(S, B, N) end),
    io:format("~p~n", [T]),
    socket:close(S).

loop(_S, _B, 0) -> ok;
loop(S, B, N) ->
    ok = socket:send(S, B),
    {ok, B} = socket:recv(S, 64),
    loop(S, B, N - 1).
