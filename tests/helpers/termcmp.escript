#!/usr/bin/env escript
%% termcmp FILE_A FILE_B: reads one term from each file (after replacing
%% #Ref<...> by an atom) and exits 0 when they are equal (=:=), 1 if not.
main([A, B]) ->
    case {read(A), read(B)} of
        {X, X} -> halt(0);
        {X, Y} -> io:format("differ:~n~p~n~p~n", [X, Y]), halt(1)
    end.

read(File) ->
    {ok, Bin} = file:read_file(File),
    Text = re:replace(Bin, "#Ref<[0-9.]+>", "ref", [global, {return, list}]),
    {ok, Toks, _} = erl_scan:string(Text ++ "."),
    {ok, Term} = erl_parse:parse_term(Toks),
    Term.
