import type { AnchorHTMLAttributes, MouseEvent, Ref } from 'react';
import { useRouter } from '@tanstack/react-router';

type Props = AnchorHTMLAttributes<HTMLAnchorElement> & { href: string; ref?: Ref<HTMLAnchorElement> };

/**
 * A link for tables: a plain anchor that navigates inside the app on a plain click. The router's Link subscribes
 * each link to the router's state and builds its location on every render, which a page of hundreds of rows pays
 * for in every navigation.
 */
export function PlainLink({ href, onClick, ref, ...rest }: Props) {
  const router = useRouter();
  function follow(e: MouseEvent<HTMLAnchorElement>) {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || rest.target) return;
    e.preventDefault();
    void router.navigate({ href });
  }
  return <a ref={ref} href={href} onClick={follow} {...rest} />;
}
