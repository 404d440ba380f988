%% nowait.erl: the nowait-connect benchmark with Erlang's socket module,
%% the same job as nowait_gen.sh's esock script and nowait_epoll.c.
%% N nowait connects to one listener on 127.0.0.1, at most K in flight:
%% per batch, open K sockets and start a nowait connect on each; then K
%% times take one select message, finish that connect (connect/1), accept
%% one connection and close both ends. Halts with 0, or 1 on any failure.
%%   erl -noshell -pa DIR -eval 'nowait:main(["10000", "1000"])'
-module(nowait).
-export([main/1]).

main([N, K]) ->
    Status = try run(list_to_integer(N), list_to_integer(K)) of
                 ok -> 0
             catch C:E ->
                 io:format(standard_error, "nowait: ~p:~p~n", [C, E]),
                 1
             end,
    halt(Status).

run(N, K) ->
    {ok, L} = socket:open(inet, stream),
    ok = socket:bind(L, #{family => inet, addr => loopback, port => 0}),
    ok = socket:listen(L, K),
    {ok, A} = socket:sockname(L),
    batches(N, K, L, A).

batches(0, _K, L, _A) -> socket:close(L);
batches(N, K, L, A) ->
    B = min(N, K),
    start(B, A),
    finish(B, L),
    batches(N - B, K, L, A).

%% Opens B sockets and starts a nowait connect on each.
start(0, _A) -> ok;
start(B, A) ->
    {ok, C} = socket:open(inet, stream),
    {select, _} = socket:connect(C, A, nowait),
    start(B - 1, A).

%% B times: one select message, its connect completed, one accept, closes.
finish(0, _L) -> ok;
finish(B, L) ->
    S = receive {'$socket', S0, select, _} -> S0
        after 5000 -> error(timeout) end,
    ok = socket:connect(S),
    {ok, X} = socket:accept(L),
    ok = socket:close(S),
    ok = socket:close(X),
    finish(B - 1, L).
